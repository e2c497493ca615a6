// The cdc strategy, the seed's pipeline: the application writes MySQL only; Debezium's binlog
// connector in the real Kafka Connect worker captures the table; converge's sink (change-sink.ts)
// applies the change events to the index with the sink document's semantics and external versions
// from the binlog. Lifecycle: setup creates the table, index, topics and the capture's MySQL user,
// starts the sink and (unless the scenario defers it with `startCaptureAt`) registers the source
// connector; recover restarts the sink after a crash; quiesce waits until everything up to the
// binlog's end has been applied; teardown removes connector, topics, consumer group and user, and
// says which of them it found: it is idempotent and runs as well in a fresh worker after the run
// that set them up was killed, with any part already gone or never created.
import type { Admin, Kafka } from 'kafkajs';
import type mysql from 'mysql2/promise';
import { ConvergeError } from '../../harness/errors.ts';
import { retry } from '../../harness/retry.ts';
import { applyMysqlWrite } from '../../harness/entity/mysql-writes.ts';
import { supportsReturning } from '../../harness/entity/one-trip-transaction.ts';
import { INDEX_SETTINGS } from '../../harness/entity/index-mapping.ts';
import { recreateIndex, recreateTable } from '../../harness/entity/stores-setup.ts';
import { ConnectClient } from '../../harness/stores/connect-client.ts';
import { createKafka, groupLag } from '../../harness/stores/kafka.ts';
import { createMysqlPool } from '../../harness/stores/mysql.ts';
import { connectSearch } from '../../harness/stores/search/connect-search.ts';
import type { SearchPort } from '../../harness/stores/search/search-port.ts';
import type { Op } from '../../harness/workload/op.ts';
import type { QuiesceResult, Strategy, StrategyContext, WriteOutcome } from '../contract.ts';
import { compareBinlog, formatBinlog } from './binlog-position.ts';
import { binlogEnd, lastTableRowEvent, type BinlogPoint } from './binlog-scan.ts';
import { captureNames, ownsTopic, type CaptureNames } from './capture-names.ts';
import { captureCounters, captureUserExists, dropCaptureUser, ensureCaptureUser, type CaptureCounters } from './capture-user.ts';
import { ChangeSink } from './change-sink.ts';
import { readConnectorPair, sinkNaming } from './connector-pair.ts';
import { redact, SEED_SINK_FILE, SEED_SOURCE_FILE, type ConnectorDocument } from './connector-document.ts';
import type { SinkSettings } from './sink-config.ts';
import type { CdcOptions } from './options.ts';
import { connectLogFile, parseSnapshotLog, readTail } from './snapshot-log.ts';
import { emitsTombstones, mapSourceConfig, type MappedSource } from './source-config.ts';
import type { RoutingPlan } from './topic-routing.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** In-process use only (the pipeline suite): hold the sink back until `releaseSink()`, so changes pile up in the topic first. */
export interface CdcControl {
  holdSink?: boolean;
}

export class CdcStrategy implements Strategy {
  readonly name = 'cdc';
  constructor(private readonly control: CdcControl = {}) {}
  private context!: StrategyContext;
  private options!: CdcOptions;
  private pool!: mysql.Pool;
  /** The server takes INSERT/DELETE … RETURNING: those writes are one statement. */
  private returning = false;
  private search!: SearchPort;
  private kafka!: Kafka;
  private admin!: Admin;
  private connect!: ConnectClient;
  private source!: ConnectorDocument;
  /** The sink document's settings, key.ignore and schema.ignore resolved for this run's topic. */
  private settings!: SinkSettings;
  private routing!: RoutingPlan;
  private names!: CaptureNames;
  private sink: ChangeSink | undefined;
  private mapped: MappedSource | undefined;
  private captureStartedAt: number | null = null;
  private atSnapshotEnd: CaptureCounters | null = null;

  async open(context: StrategyContext): Promise<void> {
    this.context = context;
    this.options = context.options;
    // Everything the documents say is checked here, before anything is created (connector-pair.ts).
    const { mysql: db } = context.endpoints;
    const naming = sinkNaming(this.options.sink);
    const names = captureNames(context.runId, db.database, context.table, naming.name, naming.deadLetterName);
    const pair = readConnectorPair(this.options, { prefix: names.prefix, database: db.database, table: context.table });
    this.source = pair.source;
    this.routing = pair.routing;
    this.settings = pair.settings;
    this.names = { ...names, dataTopic: this.routing.topic };
    this.pool = createMysqlPool(db, { connectionLimit: Math.max(2, context.concurrency + 2), multipleStatements: true });
    this.returning = supportsReturning(context.endpoints.mysql);
    this.search = await connectSearch(context.endpoints.search.url);
    this.kafka = createKafka(context.endpoints.kafka, `converge-cdc-${context.table}`, context.logFile);
    this.admin = this.kafka.admin();
    await this.admin.connect();
    this.connect = new ConnectClient(context.endpoints.connect.url);
  }

  async setup(): Promise<void> {
    await recreateTable(this.pool, this.context.entity, this.context.table);
    if (this.settings.schemaIgnore) {
      await recreateIndex(this.search, this.context.entity, this.context.index);
    } else {
      // schema.ignore=false: the sink puts the mapping from the first record's schema. Only `id` is
      // mapped now (long, as Debezium's int64 key column maps), so the harness can sort its scans.
      await this.search.deleteIndex(this.context.index);
      await this.search.createIndex(this.context.index, { settings: INDEX_SETTINGS, mappings: { properties: { id: { type: 'long' } } } });
    }
    const topics = [this.names.dataTopic, ...(this.settings.deadLetterNamed ? [this.names.deadLetterTopic] : [])];
    await this.admin.createTopics({ waitForLeaders: true, topics: topics.map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })) });
    if (!this.control.holdSink) await this.startSink();
    if (!this.options.startCaptureAt) await this.startCapture();
  }

  /** Start the sink held back by `holdSink` (once). */
  async releaseSink(): Promise<void> {
    if (!this.sink) await this.startSink();
  }

  /** The pair's log file (kafkajs logs go there). */
  get logFile(): string | undefined {
    return this.context.logFile;
  }

  /** The sink document's batch.size and max.in.flight.requests, as the sink applies them. */
  get sinkBatchSize(): number {
    return this.settings.batchSize;
  }

  get sinkMaxInFlight(): number {
    return this.settings.maxInFlight;
  }

  /** The sink's progress, cheaply (no query): records applied, when its first batch arrived and its last commit was made (epoch ms). */
  sinkProgress(): { applied: number; firstBatchAt: number | null; lastCommitAt: number | null } {
    return { applied: this.sink?.counters.applied ?? 0, firstBatchAt: this.sink?.firstBatchAt ?? null, lastCommitAt: this.sink?.lastCommitAt ?? null };
  }

  /** The topic the captured changes land on, in this run's names. */
  get dataTopic(): string {
    return this.names.dataTopic;
  }

  /** The seed is captured before the workload starts, unless the scenario defers capture to watch its start under load. */
  async warmUp(timeoutMs: number): Promise<QuiesceResult> {
    if (this.options.startCaptureAt && this.captureStartedAt === null) return { quiet: false, waitedMs: 0, detail: 'capture deferred by the scenario (startCaptureAt)' };
    return this.quiesce(timeoutMs);
  }

  /** Register the source connector (once) and wait until it runs. */
  async startCapture(): Promise<void> {
    if (this.captureStartedAt !== null || (await this.connect.status(this.names.prefix))) return;
    this.captureStartedAt = Date.now();
    const { mysql: db, kafka } = this.context.endpoints;
    const password = await ensureCaptureUser(this.pool, db.flavor, this.names.user);
    this.mapped = mapSourceConfig(this.source, {
      flavor: db.flavor,
      host: db.host,
      port: db.port,
      user: this.names.user,
      password,
      database: db.database,
      table: this.context.table,
      brokers: kafka.brokers,
      topicPrefix: this.names.prefix,
      serverId: this.names.serverId,
    }, this.routing);
    await this.connect.put(this.names.prefix, this.mapped.config);
    await this.connect.waitForRunning(this.names.prefix, 120_000);
  }

  private async startSink(): Promise<void> {
    this.sink = new ChangeSink({
      kafka: this.kafka,
      search: this.search,
      index: this.context.index,
      topics: this.routing.sinkTopics,
      group: this.names.group,
      deadLetterTopic: this.settings.deadLetterNamed ? this.names.deadLetterTopic : null,
      settings: this.settings,
      entity: this.context.entity,
      ...(this.options.versionColumn !== undefined ? { versionColumn: this.options.versionColumn } : {}),
      pairTombstones: emitsTombstones(this.source.config),
      onSnapshotDone: () => {
        void captureCounters(this.pool, this.context.endpoints.mysql.flavor, this.names.user).then(
          (counters) => (this.atSnapshotEnd = counters),
          () => {},
        );
      },
    });
    await this.sink.start();
  }

  async write(op: Op): Promise<WriteOutcome> {
    const connection = await this.pool.getConnection();
    try {
      return await applyMysqlWrite(connection, this.context.table, op, { returning: this.returning });
    } finally {
      connection.release();
    }
  }

  /**
   * Quiet when every change up to the binlog's end at the call has been applied: the sink is idle
   * with no lag on its group, and either the connector's committed source offset has reached that
   * end, or (a quiet server, where the offset rests at the start of the last transaction seen) no
   * row event of the table lies beyond what the sink has committed.
   */
  async quiesce(timeoutMs: number): Promise<QuiesceResult> {
    const started = Date.now();
    if (this.sink?.failure) return { quiet: false, waitedMs: 0, detail: `the sink task failed: ${this.sink.failure}` };
    if (this.captureStartedAt === null && !(await this.connect.status(this.names.prefix))) await this.startCapture();
    const target = await binlogEnd(this.pool);
    const qualified = `${this.context.endpoints.mysql.database}.${this.context.table}`;
    let detail = '';
    let scannedFrom: string | null = null;
    let lastOfTable: BinlogPoint | null = null;
    for (;;) {
      const lag = await groupLag(this.admin, this.names.group, this.names.dataTopic).catch(() => Number.NaN);
      const offset = await this.sourceOffset();
      const applied = this.sink?.committedPosition ?? null;
      detail = `target ${formatBinlog(target)}, connector offset ${offset ? formatBinlog(offset) : 'none'}, sink committed ${applied ? formatBinlog(applied) : 'none'}, group lag ${lag}`;
      if (this.sink?.idle && lag === 0 && offset) {
        if (compareBinlog({ ...offset, row: 0 }, { ...target, row: 0 }) >= 0) return { quiet: true, waitedMs: Date.now() - started, detail };
        // The offset rests at the last transaction's start: look at the table's events from there.
        const from = formatBinlog(offset);
        if (scannedFrom !== from) {
          lastOfTable = await lastTableRowEvent(this.pool, qualified, offset, target);
          scannedFrom = from;
        }
        if (lastOfTable === null || (applied && compareBinlog({ ...applied, row: 0 }, { ...lastOfTable, row: 0 }) >= 0)) {
          return { quiet: true, waitedMs: Date.now() - started, detail: `${detail}; last row event of the table ${lastOfTable ? formatBinlog(lastOfTable) : 'none'} applied` };
        }
      }
      if (Date.now() - started >= timeoutMs) return { quiet: false, waitedMs: Date.now() - started, detail };
      await sleep(200);
    }
  }

  private async sourceOffset(): Promise<BinlogPoint | null> {
    const offsets = await this.connect.offsets(this.names.prefix).catch(() => undefined);
    const offset = offsets?.offsets[0]?.offset as { file?: unknown; pos?: unknown } | undefined;
    return typeof offset?.file === 'string' && typeof offset.pos === 'number' ? { file: offset.file, pos: offset.pos } : null;
  }

  async recover(): Promise<void> {
    // The crashed worker's consumer left uncommitted changes in Kafka: a new consumer in the same
    // group reads them again from the last committed offset; versions make the replay harmless.
    await this.startSink();
    const status = await this.connect.status(this.names.prefix);
    if (status) this.captureStartedAt = Date.now();
    else if (!this.options.startCaptureAt) await this.startCapture();
  }

  /** Figures only: counts, bytes, statements, milliseconds. What produced them is in `configuration`. */
  async stats(): Promise<Record<string, unknown>> {
    const c = this.sink?.counters;
    const counters = await captureCounters(this.pool, this.context.endpoints.mysql.flavor, this.names.user).catch(() => null);
    const withValue = c ? c.eventsReceived - c.tombstonesReceived : 0;
    const perEvent = (bytes: number) => (withValue > 0 ? Math.round(bytes / withValue) : null);
    const logFile = connectLogFile(this.context.endpoints.connect.url);
    const snapshot = logFile ? parseSnapshotLog(readTail(logFile), `${this.context.endpoints.mysql.database}.${this.context.table}`) : null;
    return {
      ...(c ?? {}),
      bytesPerEventWithSchema: c ? perEvent(c.valueBytesWithSchema) : null,
      bytesPerEventWithoutSchema: c ? perEvent(c.valueBytesWithoutSchema) : null,
      keyBytesPerEvent: c && c.eventsReceived > 0 ? Math.round(c.keyBytes / c.eventsReceived) : null,
      captureStatements: counters?.statements ?? null,
      captureSelects: counters?.selects ?? null,
      captureRowsRead: counters?.rowsRead ?? null,
      captureStatementsBySnapshotEnd: this.atSnapshotEnd?.statements ?? null,
      captureStatementsAfterSnapshot: counters && this.atSnapshotEnd ? counters.statements - this.atSnapshotEnd.statements : null,
      snapshotLockMs: snapshot?.lockMs ?? null,
      snapshotDurationMs: snapshot?.durationMs ?? null,
      snapshotExportMs: snapshot?.exportMs ?? null,
      snapshotRecords: snapshot?.records ?? null,
    };
  }

  /** The capture as it ran: names, the effective source config (redacted) and its changes, the sink's settings, where the figures come from. */
  async configuration(): Promise<Record<string, unknown>> {
    const counters = await captureCounters(this.pool, this.context.endpoints.mysql.flavor, this.names.user).catch(() => null);
    const connectLog = connectLogFile(this.context.endpoints.connect.url);
    const mapped = this.mapped ?? mapSourceConfig(this.source, { ...this.targetWithoutSecret() }, this.routing);
    return {
      connector: this.names.prefix,
      topic: this.names.dataTopic,
      capturedTopic: this.routing.capturedTopic,
      documentsTopic: this.routing.written.topic,
      deadLetterTopic: this.names.deadLetterTopic,
      consumerGroup: this.names.group,
      captureUser: this.names.user,
      captureStartedAt: this.captureStartedAt === null ? null : new Date(this.captureStartedAt).toISOString(),
      sourceDocument: this.options.source ?? SEED_SOURCE_FILE,
      sinkDocument: this.options.sink ?? SEED_SINK_FILE,
      sourceConfig: redact(mapped.config),
      sourceConfigChanges: mapped.changes,
      sinkSettings: this.settings,
      sinkChanges: this.routing.sinkChanges,
      sinkFailure: this.sink?.failure ?? null,
      figuresFrom: {
        captureStatements: counters?.source ?? 'unavailable',
        snapshot: connectLog ? `Debezium's lines in the Connect log ${connectLog}` : 'no Connect log reachable',
      },
    };
  }

  private targetWithoutSecret() {
    const { mysql: db, kafka } = this.context.endpoints;
    return { flavor: db.flavor, host: db.host, port: db.port, user: this.names.user, password: '', database: db.database, table: this.context.table, brokers: kafka.brokers, topicPrefix: this.names.prefix, serverId: this.names.serverId };
  }

  async teardown(): Promise<string[]> {
    const removed: string[] = [];
    await this.sink?.stop();
    this.sink = undefined;
    if (await this.connect.delete(this.names.prefix)) {
      removed.push(`connector ${this.names.prefix}`);
      // Its tasks stop asynchronously; a task still running could recreate a topic deleted below.
      await retry(
        async () => {
          if (await this.connect.status(this.names.prefix)) throw new ConvergeError(`connector ${this.names.prefix} still listed`, { retriable: true });
        },
        { timeoutMs: 60_000, initialDelayMs: 200, maxDelayMs: 1000, description: `connector ${this.names.prefix} to go` },
      );
    }
    const topics = (await this.admin.listTopics()).filter((topic) => ownsTopic(this.names, topic));
    if (topics.length > 0) {
      await this.admin.deleteTopics({ topics, timeout: 30_000 });
      removed.push(`topic${topics.length === 1 ? '' : 's'} ${topics.join(', ')}`);
    }
    if (await this.removeGroup()) removed.push(`consumer group ${this.names.group}`);
    if (await captureUserExists(this.pool, this.names.user)) {
      await dropCaptureUser(this.pool, this.names.user);
      removed.push(`MySQL user ${this.names.user}`);
    }
    return removed;
  }

  /**
   * Delete the sink's consumer group if it exists; false when it does not. A consumer of a killed
   * worker stays a member until its session times out (the sink's 10 s), so wait for it to leave.
   */
  private async removeGroup(): Promise<boolean> {
    const group = this.names.group;
    return retry(
      async () => {
        const described = (await this.admin.describeGroups([group])).groups.find((g) => g.groupId === group);
        if (!described || described.state === 'Dead') return false;
        if (described.members.length > 0) throw new ConvergeError(`consumer group ${group} still has ${described.members.length} member(s)`, { retriable: true });
        await this.admin.deleteGroups([group]).catch((error: unknown) => {
          throw new ConvergeError(`could not delete consumer group ${group}`, { cause: error, retriable: true });
        });
        return true;
      },
      { timeoutMs: 60_000, initialDelayMs: 500, maxDelayMs: 2000, description: `consumer group ${group} to be deleted` },
    );
  }

  async close(): Promise<void> {
    await this.sink?.stop();
    await this.admin?.disconnect().catch(() => {});
    await this.pool?.end();
    await this.search?.close();
  }
}

export const cdcStrategy = (): Strategy => new CdcStrategy();

