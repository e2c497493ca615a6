// The sink: a kafkajs consumer (in the strategy's worker process, so a crash of the worker is a
// crash of the sink, and recover() restarts it) that applies change events to the index with the
// sink document's semantics. Per Kafka batch: decode, pair tombstones with their delete events,
// transform, turn into actions; up to `max.in.flight.requests` bulk requests of `batch.size`
// records at once; items the engine could not take for a retriable reason (429, 5xx) retried with
// backoff up to `max.retries`; records that cannot be written (bad JSON, a mapping error) sent to
// the dead-letter topic; the group offset committed only once all of that is acknowledged (at
// least once). Redelivery is harmless: every write carries the change's external version, so the
// engine answers a stale or repeated one with 409, counted as rejected.
import type { Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { ConvergeError } from '../../harness/errors.ts';
import { retry } from '../../harness/retry.ts';
import type { Entity } from '../../harness/scenario/schema.ts';
import type { BulkOperation, SearchPort } from '../../harness/stores/search/search-port.ts';
import { compareBinlog, type BinlogPosition } from './binlog-position.ts';
import { applyTransforms, InvalidRecordError, isDeleteEvent, pairTombstone, toSinkRecord, type SinkRecord } from './record-transforms.ts';
import { actionFor, type ActionContext, type SinkAction } from './sink-actions.ts';
import type { SinkSettings } from './sink-config.ts';

export interface ChangeSinkOptions {
  kafka: Kafka;
  search: SearchPort;
  index: string;
  topic: string;
  group: string;
  deadLetterTopic: string;
  settings: SinkSettings;
  entity: Entity;
  versionColumn?: string;
  /** False when the source emits no tombstones after deletes (`tombstones.on.delete=false`). */
  pairTombstones: boolean;
  /** Called once, when the first record that is not part of the snapshot (or the snapshot's last) arrives. */
  onSnapshotDone?: () => void;
}

export interface SinkCounters {
  eventsReceived: number;
  tombstonesReceived: number;
  snapshotEvents: number;
  applied: number;
  rejectedStale: number;
  deadLettered: number;
  droppedInvalid: number;
  droppedByTransforms: number;
  nullValuesIgnored: number;
  unversionedWrites: number;
  bulkRequests: number;
  bulkRetries: number;
  consumerCrashes: number;
  /** Fresh consumers started after a crash kafkajs would not restart itself. */
  consumerRestarts: number;
  keyBytes: number;
  valueBytesWithSchema: number;
  valueBytesWithoutSchema: number;
}

interface Prepared {
  message: KafkaMessage;
  action: SinkAction;
  /** The change's binlog position (a tombstone's: its delete event's), null when it has none. */
  position: BinlogPosition | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ChangeSink {
  readonly counters: SinkCounters = {
    eventsReceived: 0,
    tombstonesReceived: 0,
    snapshotEvents: 0,
    applied: 0,
    rejectedStale: 0,
    deadLettered: 0,
    droppedInvalid: 0,
    droppedByTransforms: 0,
    nullValuesIgnored: 0,
    unversionedWrites: 0,
    bulkRequests: 0,
    bulkRetries: 0,
    consumerCrashes: 0,
    consumerRestarts: 0,
    keyBytes: 0,
    valueBytesWithSchema: 0,
    valueBytesWithoutSchema: 0,
  };
  /** The furthest binlog position among records whose offsets are committed. */
  committedPosition: BinlogPosition | null = null;
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;
  private busy = 0;
  /** Set by stop(): a consumer crash is then not restarted. */
  private stopping = false;
  private previous: SinkRecord | null = null;
  /** Offset of a delete event whose tombstone has not arrived yet: commits stop short of it. */
  private heldDelete: string | null = null;
  private snapshotDone = false;

  private readonly actionContext: ActionContext;

  constructor(private readonly options: ChangeSinkOptions) {
    this.actionContext = { settings: options.settings, entity: options.entity, ...(options.versionColumn !== undefined ? { versionColumn: options.versionColumn } : {}) };
  }

  /** Nothing is being processed right now (the group's lag says whether anything is waiting). */
  get idle(): boolean {
    return this.busy === 0;
  }

  async start(): Promise<void> {
    const { kafka } = this.options;
    this.producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    await this.runConsumer();
  }

  /**
   * kafkajs restarts a crashed consumer only after a retriable error. After any other — e.g. "the
   * coordinator is not aware of this member" once a long search outage kept a batch retrying past
   * the session — it stays stopped, and the sink would consume nothing more for good. Start a fresh
   * consumer in the same group instead: it resumes from the committed offsets, and the external
   * versions make the redelivered changes harmless.
   */
  private async restartConsumer(): Promise<void> {
    this.counters.consumerRestarts++;
    await this.consumer?.disconnect().catch(() => {});
    for (let attempt = 0; !this.stopping; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 500 * 2 ** attempt)));
      if (this.stopping) return;
      try {
        await this.runConsumer();
        return;
      } catch {
        await this.consumer?.disconnect().catch(() => {});
      }
    }
  }

  private async runConsumer(): Promise<void> {
    const { kafka, settings } = this.options;
    const maxBytesPerPartition = Math.min(16 << 20, Math.max(1 << 20, settings.batchSize * settings.maxInFlight * 4096));
    const consumer = kafka.consumer({
      groupId: this.options.group,
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
      maxWaitTimeInMs: 100,
      maxBytesPerPartition,
      maxBytes: maxBytesPerPartition * 2,
      allowAutoTopicCreation: false,
    });
    consumer.on(consumer.events.CRASH, (event) => {
      this.counters.consumerCrashes++;
      if (!event.payload.restart && !this.stopping && this.consumer === consumer) void this.restartConsumer();
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        this.busy++;
        try {
          const step = settings.batchSize * settings.maxInFlight;
          for (let i = 0; i < batch.messages.length; i += step) {
            if (!payload.isRunning() || payload.isStale()) break;
            const group = batch.messages.slice(i, i + step);
            const chunks: Prepared[][] = [];
            for (let c = 0; c < group.length; c += settings.batchSize) chunks.push(this.prepare(batch.topic, batch.partition, group.slice(c, c + settings.batchSize)));
            await Promise.all(chunks.map((chunk) => this.apply(chunk)));
            const last = group.at(-1)!.offset;
            const commitAt = this.heldDelete ?? String(BigInt(last) + 1n);
            await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: commitAt }]);
            this.advanceCommitted(chunks.flat(), commitAt);
            payload.resolveOffset(last);
            await payload.heartbeat();
          }
        } finally {
          this.busy--;
        }
      },
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect().catch(() => {});
    await this.producer?.disconnect().catch(() => {});
    this.consumer = undefined;
    this.producer = undefined;
  }

  private prepare(topic: string, partition: number, messages: KafkaMessage[]): Prepared[] {
    const { settings } = this.options;
    const prepared: Prepared[] = [];
    for (const message of messages) {
      const c = this.counters;
      c.eventsReceived++;
      c.keyBytes += message.key?.length ?? 0;
      if (message.value === null) c.tombstonesReceived++;
      else c.valueBytesWithSchema += message.value.length;
      let action: SinkAction;
      let position: BinlogPosition | null = null;
      try {
        let record = toSinkRecord({ topic, partition, offset: message.offset, key: message.key, value: message.value }, { key: settings.keySchemas, value: settings.valueSchemas });
        if (record.value !== null) c.valueBytesWithoutSchema += Buffer.byteLength(JSON.stringify(record.value));
        this.noteSnapshot(record);
        if (this.options.pairTombstones) {
          record = pairTombstone(this.previous, record);
          if (this.heldDelete !== null && record.value === null && record.position !== null) this.heldDelete = null;
          if (isDeleteEvent(record)) this.heldDelete = message.offset;
          else if (record.value !== null) this.heldDelete = null;
        }
        this.previous = record;
        position = record.position;
        const transformed = applyTransforms(record, settings.transforms);
        action = transformed === null ? { kind: 'skip', reason: 'null-ignored' } : actionFor(transformed, this.actionContext);
        if (transformed === null) c.droppedByTransforms++;
        else if (action.kind === 'skip') c.nullValuesIgnored++;
      } catch (error) {
        if (!(error instanceof InvalidRecordError)) throw error;
        action = { kind: 'invalid', reason: error.message };
      }
      if ((action.kind === 'index' || action.kind === 'delete') && action.version === undefined) c.unversionedWrites++;
      prepared.push({ message, action, position });
    }
    return prepared;
  }

  private noteSnapshot(record: SinkRecord): void {
    const source = (record.value as { source?: { snapshot?: unknown } } | null)?.source;
    if (source?.snapshot === 'true' || source?.snapshot === 'first' || source?.snapshot === 'last') this.counters.snapshotEvents++;
    if (this.snapshotDone || !source) return;
    if (source.snapshot === 'last' || source.snapshot === 'false' || source.snapshot === undefined) {
      this.snapshotDone = true;
      this.options.onSnapshotDone?.();
    }
  }

  /** One bulk request for a chunk, retriable items retried, unwritable records dead-lettered. */
  private async apply(chunk: Prepared[]): Promise<void> {
    const { settings, search, index } = this.options;
    const deadLetters: { message: KafkaMessage; reason: string }[] = [];
    let pending: { op: BulkOperation; message: KafkaMessage }[] = [];
    for (const { message, action } of chunk) {
      if (action.kind === 'invalid') deadLetters.push({ message, reason: action.reason });
      else if (action.kind === 'index') pending.push({ message, op: { action: 'index', index, id: action.id, doc: action.doc, ...(action.version !== undefined ? { version: action.version, versionType: 'external' as const } : {}) } });
      else if (action.kind === 'delete') pending.push({ message, op: { action: 'delete', index, id: action.id, ...(action.version !== undefined ? { version: action.version, versionType: 'external' as const } : {}) } });
    }
    if (pending.length > 0) {
      await retry(
        async (attempt) => {
          if (attempt > 1) this.counters.bulkRetries++;
          this.counters.bulkRequests++;
          const results = await search.bulk(pending.map((item) => item.op));
          const again: typeof pending = [];
          results.forEach((result, i) => {
            const item = pending[i]!;
            if (result.status < 300 || (result.action === 'delete' && result.status === 404)) this.counters.applied++;
            else if (result.status === 409) this.counters.rejectedStale++;
            else if (result.status === 429 || result.status >= 500) again.push(item);
            else deadLetters.push({ message: item.message, reason: `${result.status} ${result.error?.type ?? ''}: ${result.error?.reason ?? ''}` });
          });
          pending = again;
          if (again.length > 0) throw new ConvergeError(`${again.length} bulk items were not accepted (429/5xx)`, { retriable: true, definite: false });
        },
        { maxAttempts: settings.maxRetries + 1, initialDelayMs: Math.max(1, settings.retryBackoffMs), maxDelayMs: 10_000, timeoutMs: settings.flushTimeoutMs, description: `bulk of ${pending.length} changes` },
      );
    }
    if (deadLetters.length > 0) await this.deadLetter(deadLetters);
  }

  private async deadLetter(items: { message: KafkaMessage; reason: string }[]): Promise<void> {
    if (this.options.settings.dropInvalid) {
      this.counters.droppedInvalid += items.length;
      return;
    }
    await retry(
      () =>
        this.producer!.send({
          topic: this.options.deadLetterTopic,
          acks: -1,
          messages: items.map(({ message, reason }) => ({
            key: message.key,
            value: message.value,
            headers: { 'converge.error': reason, 'converge.source.topic': this.options.topic, 'converge.source.offset': message.offset },
          })),
        }),
      { timeoutMs: 60_000, description: 'dead-letter produce' },
    );
    this.counters.deadLettered += items.length;
  }

  private advanceCommitted(prepared: Prepared[], commitAt: string): void {
    for (const { message, position } of prepared) {
      if (position === null || BigInt(message.offset) >= BigInt(commitAt)) continue;
      if (this.committedPosition === null || compareBinlog(position, this.committedPosition) > 0) this.committedPosition = position;
    }
  }

  /** Wait until no batch is being processed, at most `ms`. */
  async settle(ms: number): Promise<boolean> {
    const until = Date.now() + ms;
    while (!this.idle && Date.now() < until) await sleep(20);
    return this.idle;
  }
}
