// converge report: a pair's faults in words and figures — windows on the series' clock, heals with
// what they waited for, problems said plainly, and the per-pair fault rows never showing a missing
// figure as 0.
import { describe, expect, it } from 'vitest';
import * as ff from './fault-figures.ts';
import { faultFixture, resultFixture } from './fixtures.ts';

const notInjected = faultFixture({ state: 'not-injected', startMs: null, endMs: null, reason: 'its phase never reached 30%', heal: undefined, writes: undefined, detail: undefined });
const injectFailed = faultFixture({ state: 'inject-failed', heal: undefined, errors: ['kill ESRCH'] });
const healedBadly = faultFixture({ errors: ['search not green after 60 s'] });

describe('one fault in words', () => {
  it('gives its window in the series clock, open-ended when it never ended, and says when it never struck', () => {
    expect(ff.faultWindow(faultFixture())).toBe('1.5 s – 4 s');
    expect(ff.faultWindow(faultFixture({ startMs: 0, endMs: null }))).toBe('from 0 ms, no end recorded');
    expect(ff.faultWindow(notInjected)).toBe('never struck');
  });

  it('says how long healing took and what it waited for', () => {
    expect(ff.healText(faultFixture())).toBe('healed in 120 ms (waited for search answering)');
    expect(ff.healText(faultFixture({ heal: { waitedFor: '', ms: 0 } }))).toBe('healed in 0 ms');
    expect(ff.healText(injectFailed)).toBeNull();
  });

  it('names what went wrong: never struck, the strike threw, the heal met errors; nothing when it went as planned', () => {
    expect(ff.faultProblem(faultFixture())).toBeNull();
    expect(ff.faultProblem(notInjected)).toBe('not injected: its phase never reached 30%');
    expect(ff.faultProblem(injectFailed)).toBe('injecting failed: kill ESRCH');
    expect(ff.faultProblem(faultFixture({ state: 'inject-failed', errors: [] }))).toBe('injecting failed: no error recorded');
    expect(ff.faultProblem(healedBadly)).toBe('healing met errors: search not green after 60 s');
  });

  it("counts the writes in its window by outcome, and says nothing when they were not recorded", () => {
    expect(ff.windowWrites(faultFixture())).toBe('writes in its window: ok 250, failed 0, unknown 3');
    expect(ff.windowWrites(notInjected)).toBeNull();
  });
});

describe("a pair's fault rows", () => {
  const clean = resultFixture({ faults: [faultFixture(), faultFixture({ description: 'connect-restart on connect at mixed 60%', heal: { waitedFor: 'connector RUNNING', ms: 8200 }, writes: { ok: 10, failed: 1, unknown: 4 } })] });
  const afterHeal = (ms: number | null) => ({ ...resultFixture().convergence, afterHealMs: ms }) as ReturnType<typeof resultFixture>['convergence'];

  it('without faults, every row says none', () => {
    const quiet = resultFixture();
    for (const figure of [ff.faultsInjectedFigure, ff.healFigure, ff.afterHealFigure, ff.unknownInFaultsFigure]) expect(figure(quiet)).toMatchObject({ text: 'none', state: 'none' });
  });

  it('counts the faults that struck of those listed, bad when one did not or met errors', () => {
    expect(ff.faultsInjectedFigure(clean)).toMatchObject({ text: '2/2', state: 'good' });
    const partial = ff.faultsInjectedFigure(resultFixture({ faults: [faultFixture(), notInjected] }));
    expect(partial).toMatchObject({ text: '1/2', state: 'bad' });
    expect(partial.note).toBe('search-pause on search at mixed 30%: injected; search-pause on search at mixed 30%: not injected: its phase never reached 30%');
    expect(ff.faultsInjectedFigure(resultFixture({ faults: [healedBadly] }))).toMatchObject({ text: '1/1', state: 'bad' });
  });

  it('lists each heal time in order, what it waited for in the note', () => {
    const heal = ff.healFigure(clean);
    expect(heal).toMatchObject({ text: '120 ms, 8.2 s', state: 'value' });
    expect(heal.note).toBe('search-pause on search at mixed 30%: healed in 120 ms (waited for search answering); connect-restart on connect at mixed 60%: healed in 8.2 s (waited for connector RUNNING)');
    expect(ff.healFigure(resultFixture({ faults: [notInjected] }))).toMatchObject({ text: 'none', state: 'none', note: 'no fault was healed' });
  });

  it('gives the time to converge after the last heal: never when it did not, n/a when nothing struck, unknown when the check crashed', () => {
    expect(ff.afterHealFigure(resultFixture({ faults: [faultFixture()], convergence: afterHeal(2300) }))).toMatchObject({ text: '2.3 s', state: 'good' });
    expect(ff.afterHealFigure(resultFixture({ faults: [faultFixture()], convergence: afterHeal(0) }))).toMatchObject({ text: '0 ms', state: 'good' });
    expect(ff.afterHealFigure(resultFixture({ faults: [faultFixture()], convergence: afterHeal(null) }))).toMatchObject({ text: 'never', state: 'bad' });
    expect(ff.afterHealFigure(resultFixture({ faults: [notInjected] }))).toMatchObject({ text: 'n/a', state: 'none' });
    expect(ff.afterHealFigure(resultFixture({ faults: [faultFixture()], convergence: { state: 'unknown', error: 'socket hang up' } }))).toEqual({ text: 'unknown', state: 'unknown', note: 'the check crashed: socket hang up' });
  });

  it("gives each fault's catch-up after its heal, bad when the index never caught up while writes ran", () => {
    const caught = ff.catchUpFigure(resultFixture({ faults: [faultFixture({ catchUpMs: 1400 }), faultFixture({ catchUpMs: null })] }));
    expect(caught).toMatchObject({ text: '1.4 s, never', state: 'bad' });
    expect(caught.note).toContain('no write acknowledged after the heal was seen with the normal lag');
    expect(ff.catchUpFigure(resultFixture({ faults: [faultFixture({ catchUpMs: 250 })] }))).toMatchObject({ text: '250 ms', state: 'value' });
    expect(ff.catchUpFigure(resultFixture({ faults: [notInjected] }))).toMatchObject({ text: 'n/a', state: 'none' });
  });

  it('sums the unknown outcomes in the fault windows, and says when no window recorded its writes', () => {
    const unknown = ff.unknownInFaultsFigure(clean);
    expect(unknown).toMatchObject({ text: '7', state: 'value' });
    expect(unknown.note).toContain('connect-restart on connect at mixed 60%: writes in its window: ok 10, failed 1, unknown 4');
    expect(ff.unknownInFaultsFigure(resultFixture({ faults: [notInjected] }))).toMatchObject({ text: 'not recorded', state: 'none' });
  });
});
