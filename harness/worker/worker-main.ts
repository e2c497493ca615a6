// The entry of a strategy's worker process: builds the strategy named in argv from the registry,
// then serves contract calls from the harness over IPC, many at once (writes run concurrently).
// A ConvergeError keeps its `definite` flag; any other error may have struck after a store was
// touched, so its outcome is reported as unknown. Its stdout and stderr are the pair's log file:
// it says when it starts and which calls other than writes failed (a write's failure is an
// outcome the history records).
import { ConvergeError } from '../errors.ts';
import { strategyFactory } from '../../strategies/index.ts';
import type { Strategy } from '../../strategies/contract.ts';
import type { HarnessMessage, ReadyMessage, ResultMessage, SerializedError } from './protocol.ts';

function serialize(error: unknown): SerializedError {
  if (error instanceof ConvergeError) return { name: error.name, message: error.message, definite: error.definite, retriable: error.retriable };
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, message: e.stack ?? e.message, definite: false, retriable: false };
}

function send(message: ReadyMessage): void {
  process.send?.(message);
}

/** Results ready in this turn of the event loop, sent together at its end. */
let outbox: ResultMessage[] = [];
function answer(result: ResultMessage): void {
  outbox.push(result);
  if (outbox.length > 1) return;
  setImmediate(() => {
    const results = outbox;
    outbox = [];
    process.send?.(results.length === 1 ? results[0] : { type: 'results', results });
  });
}

function main(): void {
  const name = process.argv[2];
  if (!name || !process.send) {
    process.stderr.write('worker-main: run by the harness with a strategy name and an IPC channel\n');
    process.exit(2);
  }
  const strategy: Strategy = strategyFactory(name)();
  // An optional method the strategy lacks (startCapture, warmUp) answers undefined.
  const target = strategy as unknown as Record<string, ((...args: unknown[]) => Promise<unknown>) | undefined>;
  process.on('message', (message: HarnessMessage) => {
    const calls = message.type === 'calls' ? message.calls : message.type === 'call' ? [message] : [];
    for (const { id, method, args } of calls) {
      const fn = target[method];
      const call = (): Promise<unknown> => (fn ? fn.apply(target, args) : Promise.resolve(undefined));
      Promise.resolve()
        .then(call)
        .then(
          (value) => answer({ type: 'result', id, ok: true, value }),
          (error: unknown) => {
            const serialized = serialize(error);
            if (method !== 'write') process.stderr.write(`${new Date().toISOString()} ${name}.${method} failed: ${serialized.name}: ${serialized.message}\n`);
            answer({ type: 'result', id, ok: false, error: serialized });
          },
        );
    }
  });
  process.on('disconnect', () => process.exit(0));
  // A terminal's Ctrl-C reaches the whole process group: the harness decides how the run ends
  // (it finishes the operations in flight, then stops this worker), so the worker ignores it.
  process.on('SIGINT', () => {});
  process.stdout.write(`${new Date().toISOString()} converge worker for ${name}: pid ${process.pid}, ready\n`);
  send({ type: 'ready', pid: process.pid });
}

main();
