// What the client is told, by the `ack` option — pure.
// - `step1`: answered once step 1 settled: the committed row (`ok`), or step 1's own error. A
//   compensation that follows is not told to anyone: the history says `ok` for a write that was
//   later undone (that is what acknowledging after step 1 means; stats count compensations).
// - `end`: answered once the saga ended:
//     done             → ok, the row step 1 committed (it is in both stores);
//     compensationMoot → ok: the write took effect and a later write superseded it before it could
//                        be undone; that later write's saga carries the key's state to the index;
//     compensated      → fail (definite): the write was undone in MySQL and never reached the index;
//     failed           → unknown: neither finished nor undone; the stores may disagree (also
//                        when the machine itself stopped on an error);
//     aborted          → step 1's error (definite or not, as MySQL's answer was);
//     unchanged        → ok with no row (the key was not there).
import type { WriteOutcome } from '../contract.ts';
import { errorFromInfo, SagaCompensatedError, SagaFailedError } from './errors.ts';
import type { SagaContext } from './saga-machine.ts';

const noRow: WriteOutcome = { value: null, version: null };

function stepOneOutcome(context: SagaContext): WriteOutcome {
  return context.step?.outcome ?? noRow;
}

/** The answer once the saga has left step 1 (`state` is where it went). */
export function answerAfterStepOne(state: string, context: SagaContext): WriteOutcome {
  if (state === 'aborted') throw errorFromInfo(context.error ?? { name: 'ConvergeError', message: 'step 1 failed', definite: false, retriable: false });
  if (context.step === null) throw new SagaFailedError(context.sagaId, context.error?.message ?? `step 1 did not settle (${state})`);
  return stepOneOutcome(context);
}

/** The answer once the saga has ended in `state`. */
export function answerAtEnd(state: string, context: SagaContext): WriteOutcome {
  switch (state) {
    case 'done':
    case 'compensationMoot':
    case 'unchanged':
      return stepOneOutcome(context);
    case 'compensated':
      throw new SagaCompensatedError(context.sagaId, context.rejection?.message ?? 'the index step gave up');
    case 'aborted':
      return answerAfterStepOne(state, context);
    default:
      throw new SagaFailedError(context.sagaId, context.error?.message ?? `ended in ${state}`);
  }
}
