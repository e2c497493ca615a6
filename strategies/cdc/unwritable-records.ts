// What becomes of a record the sink cannot write, by the rules of Kafka Connect and the Confluent
// connector: who met the problem decides which option applies. The framework (converter,
// transforms) skips it with errors.tolerance=all; the connector (turning it into a request) drops
// it with drop.invalid.message=true; a document the engine refuses as malformed is skipped with
// behavior.on.malformed.documents=ignore|warn; anything else fails the task. With
// errors.tolerance=all and a named dead-letter topic, every such record is reported there first,
// as Connect's errant-record reporter does. Pure.
import type { SinkSettings } from './sink-config.ts';

export type UnwritableKind = 'framework' | 'connector' | 'malformed' | 'engine';

export type UnwritableOutcome =
  | { outcome: 'skip'; counter: 'skippedByTolerance' | 'droppedInvalid' | 'malformedSkipped' }
  | { outcome: 'fail'; rule: string };

type Rules = Pick<SinkSettings, 'errorsTolerance' | 'dropInvalid' | 'malformed'>;

export function unwritableOutcome(kind: UnwritableKind, settings: Rules): UnwritableOutcome {
  switch (kind) {
    case 'framework':
      return settings.errorsTolerance === 'all' ? { outcome: 'skip', counter: 'skippedByTolerance' } : { outcome: 'fail', rule: 'errors.tolerance=none' };
    case 'connector':
      return settings.dropInvalid ? { outcome: 'skip', counter: 'droppedInvalid' } : { outcome: 'fail', rule: 'drop.invalid.message=false' };
    case 'malformed':
      return settings.malformed === 'fail' ? { outcome: 'fail', rule: 'behavior.on.malformed.documents=fail' } : { outcome: 'skip', counter: 'malformedSkipped' };
    case 'engine':
      return { outcome: 'fail', rule: 'the engine refused it' };
  }
}

/** Whether unwritable records are reported to the dead-letter topic before they are skipped or fail the task. */
export function reportsToDeadLetter(settings: Pick<SinkSettings, 'errorsTolerance' | 'deadLetterNamed'>): boolean {
  return settings.errorsTolerance === 'all' && settings.deadLetterNamed;
}
