// The sink: a kafkajs consumer (in the strategy's worker process, so a crash of the worker is a
// crash of the sink, and recover() restarts it) that applies change events to the index with the
// sink document's semantics. Per Kafka batch (a fetch waits up to `linger.ms` for more records), in
// pieces of `batch.size` records: decode (each value's schema parsed once per schema), pair
// tombstones with their delete events, transform, turn into actions, and send as bulk requests
// (split further by `bulk.size.bytes`) without waiting for earlier pieces, across batches, as the
// Confluent connector buffers records and flushes them asynchronously: up to
// `max.in.flight.requests` requests and `max.buffered.records` records are out at once, so decoding
// and the next fetch overlap the engine's indexing. With schema.ignore=false the index mapping is
// put from the first record's schema before the first bulk. Items the engine could not take for a
// retriable reason (429, 5xx) are retried with backoff up to `max.retries`. A record that cannot
// be written is handled as Connect and the Confluent connector do: reported to the dead-letter topic
// when errors.tolerance=all names one; then skipped when the document allows it (errors.tolerance=all
// for a converter or transform failure, drop.invalid.message for one the connector meets,
// behavior.on.malformed.documents=ignore|warn for a document the engine refuses as malformed), and
// otherwise the task fails: the sink stops consuming, commits nothing further and says why. A
// piece's offset is committed only once it and every piece before it are acknowledged (at least
// once); when a piece's retries run out, its consumer is retired and a fresh one resumes from the
// last commit. Redelivery is harmless: every write carries the change's external version, so the
// engine answers a stale or repeated one with 409, counted as rejected.
import type { Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { ConvergeError } from '../../harness/errors.ts';
import { retry } from '../../harness/retry.ts';
import type { Entity } from '../../harness/scenario/schema.ts';
import type { BulkOperation, SearchPort } from '../../harness/stores/search/search-port.ts';
import { compareBinlog, type BinlogPosition } from './binlog-position.ts';
import { applyTransforms, InvalidRecordError, isDeleteEvent, pairTombstone, toSinkRecord, type SinkRecord } from './record-transforms.ts';
import { actionFor, mappingFor, type ActionContext, type SinkAction } from './sink-actions.ts';
import { JsonConverterDecoder } from './json-converter-decoder.ts';
import type { SinkSettings } from './sink-config.ts';
import { reportsToDeadLetter, unwritableOutcome, type UnwritableKind } from './unwritable-records.ts';

/** Bulk item errors the connector counts as a malformed document (behavior.on.malformed.documents). */
const MALFORMED_ERRORS = ['mapper_parsing_exception', 'illegal_argument_exception', 'action_request_validation_exception', 'document_parsing_exception', 'strict_dynamic_mapping_exception'];

/** A record the sink could not write, and who met the problem (see InvalidRecordError). */
interface Unwritable {
  message: KafkaMessage;
  reason: string;
  kind: UnwritableKind;
}

export interface ChangeSinkOptions {
  kafka: Kafka;
  search: SearchPort;
  index: string;
  /** The topics the sink document subscribes to, in this run's names. */
  topics: string[];
  group: string;
  /** Where unwritable records are reported (errors.tolerance=all with a named topic), or null. */
  deadLetterTopic: string | null;
  /** The sink document's settings, key.ignore and schema.ignore resolved for this run's topic. */
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
  skippedByTolerance: number;
  malformedSkipped: number;
  nullKeysSkipped: number;
  mappingsPut: number;
  taskFailures: number;
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

/** A piece of a batch whose bulk requests are out: committed once they, and every piece before, are acknowledged. */
interface InFlightPiece {
  consumer: Consumer;
  topic: string;
  partition: number;
  done: Promise<{ failure: string | null } | { error: unknown }>;
  prepared: Prepared[];
  /** The offset to commit once acknowledged (short of a delete whose tombstone has not arrived). */
  commitAt: string;
  records: number;
  requests: number;
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
    skippedByTolerance: 0,
    malformedSkipped: 0,
    nullKeysSkipped: 0,
    mappingsPut: 0,
    taskFailures: 0,
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
  /** When the first batch arrived, and when the last commit was made (epoch ms): the sink's own clock for its apply rate. */
  firstBatchAt: number | null = null;
  lastCommitAt: number | null = null;
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;
  private busy = 0;
  /** Pieces whose bulk requests are out, in offset order across batches, and their totals. */
  private readonly pieces: InFlightPiece[] = [];
  private unsettled = 0;
  private outstandingRecords = 0;
  private outstandingRequests = 0;
  private settling: Promise<void> = Promise.resolve();
  private draining: Promise<void> | null = null;
  /** Consumers retired after a piece failed: they send and commit nothing more. */
  private readonly brokenConsumers = new WeakSet<Consumer>();
  /** Set by stop(): a consumer crash is then not restarted. */
  private stopping = false;
  private previous: SinkRecord | null = null;
  /** Offset of a delete event whose tombstone has not arrived yet: commits stop short of it. */
  private heldDelete: string | null = null;
  private snapshotDone = false;
  /** The mapping derived from the first record's schema (schema.ignore=false), and whether it is in the index. */
  private mapping: Record<string, unknown> | null = null;
  private mappingPut = false;
  /** Why the task failed, once it has: the sink then consumes nothing more. */
  failure: string | null = null;

  private readonly actionContext: ActionContext;
  /** Read each key's and value's schema once per schema, not once per record. */
  private readonly keyDecoder = new JsonConverterDecoder();
  private readonly valueDecoder = new JsonConverterDecoder();

  constructor(private readonly options: ChangeSinkOptions) {
    const { settings } = options;
    this.actionContext = {
      settings: { keyIgnore: settings.keyIgnore, nullValues: settings.nullValues, schemaIgnore: settings.schemaIgnore },
      entity: options.entity,
      ...(options.versionColumn !== undefined ? { versionColumn: options.versionColumn } : {}),
    };
  }

  /** Nothing is being processed right now (the group's lag says whether anything is waiting). */
  get idle(): boolean {
    return this.busy === 0 && this.unsettled === 0;
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
      // linger.ms: the broker holds a fetch until a bulk's worth of bytes or the linger has passed.
      maxWaitTimeInMs: settings.lingerMs > 1 ? settings.lingerMs : 100,
      minBytes: settings.lingerMs > 1 ? settings.batchSize * 256 : 1,
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
    await consumer.subscribe({ topics: this.options.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        if (this.failure !== null || this.brokenConsumers.has(consumer)) return;
        this.firstBatchAt ??= Date.now();
        this.busy++;
        try {
          for (let i = 0; i < batch.messages.length; i += settings.batchSize) {
            // Rebalanced away or stopping: what is out is settled by the drain, nothing more is sent.
            if (!payload.isRunning() || payload.isStale() || this.brokenConsumers.has(consumer)) return;
            const messages = batch.messages.slice(i, i + settings.batchSize);
            const prepared = this.prepare(batch.topic, batch.partition, messages);
            const last = messages.at(-1)!.offset;
            const commitAt = this.heldDelete ?? String(BigInt(last) + 1n);
            if (this.mapping !== null && !this.mappingPut) {
              await this.options.search.putMapping(this.options.index, this.mapping);
              this.mappingPut = true;
              this.counters.mappingsPut++;
            }
            const chunks = this.chunk(prepared);
            const done = Promise.all(chunks.map((chunk) => this.apply(chunk))).then(
              (failures) => ({ failure: failures.find((f) => f !== null) ?? null }),
              (error: unknown) => ({ error }),
            );
            this.pieces.push({ consumer, topic: batch.topic, partition: batch.partition, done, prepared, commitAt, records: messages.length, requests: chunks.length });
            this.unsettled++;
            this.outstandingRecords += messages.length;
            this.outstandingRequests += chunks.length;
            // kafkajs fetches on from here; the offset is committed once the piece is acknowledged.
            payload.resolveOffset(last);
            // Let the requests go out before the next piece's decoding holds the event loop.
            await new Promise((resolve) => setImmediate(resolve));
            while (this.pieces.length > 0 && (this.outstandingRequests >= settings.maxInFlight || this.outstandingRecords >= settings.maxBufferedRecords)) {
              if (!(await this.settleNext())) return;
            }
          }
          await payload.heartbeat();
        } catch (error) {
          this.pieceFailed(consumer, error);
        } finally {
          this.busy--;
          this.drain();
        }
      },
    });
  }

  /** Settle what is out in the background, in order, after a batch has returned (so the next fetch overlaps the engine's indexing). */
  private drain(): void {
    if (this.draining) return;
    this.draining = (async () => {
      try {
        while (this.pieces.length > 0 && !this.stopping) if (!(await this.settleNext())) break;
      } catch (error) {
        this.pieceFailed(this.consumer, error);
      } finally {
        this.draining = null;
      }
    })();
  }

  /**
   * A piece's retries ran out (or its commit failed): nothing after it may be committed, and the
   * consumer has fetched past it. Its consumer is retired and a fresh one resumes from the last
   * commit; the external versions make the redelivered changes harmless.
   */
  private pieceFailed(consumer: Consumer | undefined, error: unknown): void {
    this.abandonPieces();
    if (!consumer || this.brokenConsumers.has(consumer) || this.stopping) return;
    this.brokenConsumers.add(consumer);
    // The worker's stderr is the pair's log: say why its consumer was replaced.
    process.stderr.write(`${new Date().toISOString()} cdc sink: a piece's bulk failed, its consumer is replaced and resumes from the last commit: ${error instanceof Error ? error.message : String(error)}\n`);
    if (this.consumer === consumer) void this.restartConsumer();
  }

  private abandonPieces(): void {
    this.unsettled -= this.pieces.length;
    this.pieces.length = 0;
    this.outstandingRecords = 0;
    this.outstandingRequests = 0;
  }

  /** Settle the oldest piece out (one at a time, whoever asks): false when the task failed on it. */
  private settleNext(): Promise<boolean> {
    const next = this.settling.then(() => this.settleOldest());
    this.settling = next.then(
      () => {},
      () => {},
    );
    return next;
  }

  private async settleOldest(): Promise<boolean> {
    const piece = this.pieces.shift();
    if (!piece) return true;
    try {
      this.outstandingRecords -= piece.records;
      this.outstandingRequests -= piece.requests;
      const outcome = await piece.done;
      if ('error' in outcome) throw outcome.error;
      if (outcome.failure !== null) {
        this.abandonPieces();
        this.fail(outcome.failure, piece.topic, piece.partition);
        return false;
      }
      // A retired consumer's pieces are not committed: its successor reads them again.
      if (this.brokenConsumers.has(piece.consumer) || piece.consumer !== this.consumer) return true;
      await piece.consumer.commitOffsets([{ topic: piece.topic, partition: piece.partition, offset: piece.commitAt }]);
      this.advanceCommitted(piece.prepared, piece.commitAt);
      this.lastCommitAt = Date.now();
      return true;
    } finally {
      this.unsettled--;
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    // What is still out is not committed: the group's next consumer reads it again.
    this.abandonPieces();
    await this.consumer?.disconnect().catch(() => {});
    await this.producer?.disconnect().catch(() => {});
    this.consumer = undefined;
    this.producer = undefined;
  }

  /** The task has failed: stop consuming (Connect stops a failed task; a restart meets the same record again). */
  private fail(reason: string, topic: string, partition: number): void {
    this.failure = reason;
    this.counters.taskFailures++;
    this.consumer?.pause([{ topic, partitions: [partition] }]);
  }

  /** Bulk requests: at most batch.size records and bulk.size.bytes bytes each. */
  private chunk(prepared: Prepared[]): Prepared[][] {
    const { batchSize, bulkSizeBytes } = this.options.settings;
    const chunks: Prepared[][] = [];
    let current: Prepared[] = [];
    let bytes = 0;
    for (const item of prepared) {
      const size = (item.message.value?.length ?? 0) + (item.message.key?.length ?? 0);
      if (current.length > 0 && (current.length >= batchSize || (bulkSizeBytes > 0 && bytes + size > bulkSizeBytes))) {
        chunks.push(current);
        current = [];
        bytes = 0;
      }
      current.push(item);
      bytes += size;
    }
    if (current.length > 0) chunks.push(current);
    return chunks;
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
        let payloadBytes: number | null = null;
        let record = toSinkRecord({ topic, partition, offset: message.offset, key: message.key, value: message.value }, { key: settings.keySchemas, value: settings.valueSchemas }, (bytes, schemas, what) => {
          if (what === 'key') return this.keyDecoder.decode(bytes, schemas, what);
          const decoded = this.valueDecoder.decode(bytes, schemas, what);
          payloadBytes = decoded.payloadBytes;
          return decoded;
        });
        if (record.value !== null) c.valueBytesWithoutSchema += payloadBytes ?? Buffer.byteLength(JSON.stringify(record.value));
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
        else if (action.kind === 'skip' && action.reason === 'null-key') c.nullKeysSkipped++;
        else if (action.kind === 'skip') c.nullValuesIgnored++;
        if (transformed !== null && action.kind === 'index' && !settings.schemaIgnore && this.mapping === null && transformed.valueSchema !== null) {
          this.mapping = mappingFor(transformed.valueSchema, this.options.entity);
        }
      } catch (error) {
        if (!(error instanceof InvalidRecordError)) throw error;
        action = { kind: 'invalid', reason: error.message, stage: error.stage };
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

  /** One bulk request for a chunk, retriable items retried, unwritable records handled; the task's failure reason, or null. */
  private async apply(chunk: Prepared[]): Promise<string | null> {
    const { settings, search, index } = this.options;
    const unwritable: Unwritable[] = [];
    let pending: { op: BulkOperation; message: KafkaMessage }[] = [];
    for (const { message, action } of chunk) {
      if (action.kind === 'invalid') unwritable.push({ message, reason: action.reason, kind: action.stage });
      else if (action.kind === 'index') pending.push({ message, op: { action: 'index', index, id: action.id, doc: action.doc, ...(action.version !== undefined ? { version: action.version, versionType: 'external' as const } : {}) } });
      else if (action.kind === 'delete') pending.push({ message, op: { action: 'delete', index, id: action.id, ...(action.version !== undefined ? { version: action.version, versionType: 'external' as const } : {}) } });
    }
    if (pending.length > 0) {
      // Exhausted, the error retires the consumer and a fresh one reads again from the last commit
      // (Connect would fail the task until restarted; a healed engine resumes it here).
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
            else {
              const type = result.error?.type ?? '';
              unwritable.push({ message: item.message, reason: `${result.status} ${type}: ${result.error?.reason ?? ''}`, kind: MALFORMED_ERRORS.includes(type) ? 'malformed' : 'engine' });
            }
          });
          pending = again;
          if (again.length > 0) throw new ConvergeError(`${again.length} bulk items were not accepted (429/5xx)`, { retriable: true, definite: false });
        },
        { maxAttempts: settings.maxRetries + 1, initialDelayMs: Math.max(1, settings.retryBackoffMs), maxDelayMs: 10_000, timeoutMs: settings.flushTimeoutMs, description: `bulk of ${pending.length} changes` },
      );
    }
    return this.handleUnwritable(unwritable);
  }

  /** Report, skip or fail on each record that could not be written (unwritable-records.ts); the failure reason, or null. */
  private async handleUnwritable(items: Unwritable[]): Promise<string | null> {
    if (items.length === 0) return null;
    const { settings, deadLetterTopic } = this.options;
    if (deadLetterTopic !== null && reportsToDeadLetter(settings)) await this.deadLetter(items, deadLetterTopic);
    for (const item of items) {
      const verdict = unwritableOutcome(item.kind, settings);
      if (verdict.outcome === 'fail') return `record at offset ${item.message.offset}: ${item.reason} (${verdict.rule})`;
      this.counters[verdict.counter]++;
    }
    return null;
  }

  private async deadLetter(items: Unwritable[], topic: string): Promise<void> {
    await retry(
      () =>
        this.producer!.send({
          topic,
          acks: -1,
          messages: items.map(({ message, reason }) => ({
            key: message.key,
            value: message.value,
            headers: { 'converge.error': reason, 'converge.source.topics': this.options.topics.join(','), 'converge.source.offset': message.offset },
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
