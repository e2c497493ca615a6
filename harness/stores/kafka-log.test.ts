// kafkajs's logs go to the log file the client was given, as JSON lines, and never to the console:
// a retriable ERROR (`The coordinator is loading…`) and an INFO line logged through a real
// kafkajs client's logger (no broker is contacted).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createKafka } from './kafka.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'converge-kafka-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe("kafkajs's logs", () => {
  it('are appended to the given file as JSON lines, and nothing reaches the console', () => {
    const printed: string[] = [];
    const capture = (...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
      return true;
    };
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, method).mockImplementation(capture);
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);

    const file = path.join(dir, 'logs', 'worker-cdc-s.log');
    const logger = createKafka({ brokers: ['127.0.0.1:9'] }, 'it-log', file).logger();
    logger.error('Response InitProducerId(key: 22, version: 1)', { broker: '127.0.0.1:9', error: "The coordinator is loading and hence can't process requests for this group", correlationId: 2 });
    logger.info('Consumer has joined the group', { groupId: 'g' });
    logger.debug('Request Metadata', {});
    vi.restoreAllMocks();

    expect(printed).toEqual([]);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(2); // DEBUG is below the file's level
    expect(lines[0]).toMatchObject({ level: 'ERROR', logger: 'kafkajs', message: 'Response InitProducerId(key: 22, version: 1)', error: "The coordinator is loading and hence can't process requests for this group", correlationId: 2 });
    expect(lines[0]!.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(lines[1]).toMatchObject({ level: 'INFO', logger: 'kafkajs', message: 'Consumer has joined the group', groupId: 'g' });
  });
});
