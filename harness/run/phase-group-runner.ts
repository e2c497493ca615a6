// Runs one group of phases (a phase and those that run beside it): each phase with its concurrency
// of logical clients pulling from the phase's one deterministic operation stream, at its rate
// limit, for its op count or duration; a `beside` phase starts once its anchor is `startAt` done.
// An abort signal stops clients from taking new operations; those in flight complete. `onProgress`
// hears each phase's progress (0 at its start, after every operation, 1 at its end): the nemesis
// strikes the faults that wait for a phase to be that far.
import type { MultiBar } from 'cli-progress';
import type { PhaseGroup, ScheduledPhase } from '../scenario/schedule.ts';
import type { Workload } from '../workload/generator.ts';
import { executeOp, type ExecutorParts } from './op-executor.ts';

interface PhaseProgress {
  done: number;
  startedAt: number | null;
  finished: boolean;
  waiters: (() => void)[];
}

export interface GroupRunOptions {
  workload: Workload;
  parts: ExecutorParts;
  signal: AbortSignal;
  /** First logical process id of this group (processes are numbered across the run). */
  firstProcess: number;
  progress?: MultiBar;
  /** Phase `phase` is `fraction` (0..1) done. */
  onProgress?: (phase: string, fraction: number) => void;
}

export interface GroupRunResult {
  processesUsed: number;
  /** The group's own wall time: from its start until its last phase ended (not the deferred capture's start). */
  ms: number;
  /** Each phase's operations and its own running time, from its start (after its anchor) to its end. */
  phases: { name: string; ops: number; ms: number }[];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function fractionDone(scheduled: ScheduledPhase, state: PhaseProgress): number {
  const { phase } = scheduled;
  if (state.finished) return 1;
  if (phase.ops !== undefined) return state.done / phase.ops;
  if (state.startedAt === null || phase.durationMs === undefined) return 0;
  return (Date.now() - state.startedAt) / phase.durationMs;
}

/** A strategy's deferred-capture mark (its `startCaptureAt: { phase, fraction }` option), if it set one. */
function captureMark(options: Readonly<Record<string, unknown>>): { phase: string; fraction: number } | undefined {
  const mark = options.startCaptureAt as { phase?: unknown; fraction?: unknown } | undefined;
  return typeof mark?.phase === 'string' && typeof mark.fraction === 'number' ? { phase: mark.phase, fraction: mark.fraction } : undefined;
}

export async function runPhaseGroup(group: PhaseGroup, options: GroupRunOptions): Promise<GroupRunResult> {
  const groupStart = Date.now();
  const states = new Map<number, PhaseProgress>(group.phases.map((scheduled) => [scheduled.index, { done: 0, startedAt: null, finished: false, waiters: [] }]));
  let nextProcess = options.firstProcess;
  const results: GroupRunResult['phases'] = [];

  const notify = (state: PhaseProgress) => {
    const waiters = state.waiters.splice(0);
    for (const wake of waiters) wake();
  };

  // Deferred capture: once the phase the strategy named is that far done, tell the strategy to start
  // capturing. The writers do not wait for it; the group does, before it ends.
  const mark = captureMark(options.parts.worker.options);
  let capture: Promise<unknown> | undefined;
  const maybeStartCapture = (scheduled: ScheduledPhase, state: PhaseProgress) => {
    if (!mark || capture || scheduled.phase.name !== mark.phase || fractionDone(scheduled, state) < mark.fraction) return;
    capture = options.parts.worker.call('startCapture');
    capture.catch(() => {}); // awaited (and its error thrown) below
  };

  const waitForAnchor = async (scheduled: ScheduledPhase) => {
    if (scheduled.anchor === null || scheduled.startAt <= 0) return;
    const anchorPhase = group.phases.find((candidate) => candidate.index === scheduled.anchor)!;
    const anchor = states.get(scheduled.anchor)!;
    while (!options.signal.aborted && fractionDone(anchorPhase, anchor) < scheduled.startAt) {
      // Op-count anchors wake us on progress; duration anchors are polled.
      await Promise.race([new Promise<void>((resolve) => anchor.waiters.push(resolve)), sleep(20)]);
    }
  };

  const runPhase = async (scheduled: ScheduledPhase) => {
    const { phase } = scheduled;
    const state = states.get(scheduled.index)!;
    await waitForAnchor(scheduled);
    const stream = options.workload.ops(scheduled.index);
    const started = Date.now();
    state.startedAt = started;
    maybeStartCapture(scheduled, state);
    options.onProgress?.(phase.name, 0);
    // A timed phase advances with the clock even while every operation hangs (a paused service).
    const ticker = phase.durationMs !== undefined && options.onProgress ? setInterval(() => options.onProgress!(phase.name, Math.min(1, fractionDone(scheduled, state))), 50) : undefined;
    const bar = options.progress?.create(phase.ops ?? Math.ceil((phase.durationMs ?? 0) / 1000), 0, { phase: phase.name, rate: '0' });
    let taken = 0;
    const take = () => {
      if (options.signal.aborted) return undefined;
      if (phase.durationMs !== undefined && Date.now() - started >= phase.durationMs) return undefined;
      const next = stream.next();
      if (next.done) return undefined;
      return { op: next.value, seq: taken++ };
    };
    const client = async (process: number) => {
      for (let item = take(); item; item = take()) {
        if (phase.rate !== undefined) {
          const due = started + (item.seq * 1000) / phase.rate;
          const wait = due - Date.now();
          if (wait > 0) await sleep(wait);
        }
        await executeOp(options.parts, process, item.op);
        state.done++;
        notify(state);
        maybeStartCapture(scheduled, state);
        options.onProgress?.(phase.name, Math.min(1, fractionDone(scheduled, state)));
        if (bar) {
          const elapsed = (Date.now() - started) / 1000;
          bar.update(phase.ops !== undefined ? state.done : Math.floor(elapsed), { rate: (state.done / Math.max(elapsed, 0.001)).toFixed(0) });
        }
      }
    };
    const processes = Array.from({ length: phase.concurrency }, () => nextProcess++);
    await Promise.all(processes.map((process) => client(process)));
    clearInterval(ticker);
    state.finished = true;
    notify(state);
    options.onProgress?.(phase.name, 1);
    bar?.stop();
    results.push({ name: phase.name, ops: state.done, ms: Date.now() - started });
  };

  await Promise.all(group.phases.map((scheduled) => runPhase(scheduled)));
  const ms = Date.now() - groupStart;
  await capture;
  return { processesUsed: nextProcess - options.firstProcess, ms, phases: results };
}
