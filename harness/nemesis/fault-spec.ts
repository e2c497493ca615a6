// One fault of a scenario, as the file states it: its kind, when it strikes (when a phase is a
// fraction done, or a number of ms after the workload began), how long it holds, what it targets,
// and the kind's own options. The scenario schema takes `faults: z.array(faultSpecSchema)`; phase
// names are cross-checked by `faultReferenceProblems` (the schema alone cannot see the phases).
import { z } from 'zod';

/** When a fault strikes: once phase `phase` is `fraction` (0..1) done, or `afterMs` ms after the workload began. */
export const faultTriggerSchema = z.union([
  z.strictObject({ phase: z.string().min(1), fraction: z.number().min(0).max(1) }),
  z.strictObject({ afterMs: z.number().int().min(0) }),
]);
export type FaultTrigger = z.output<typeof faultTriggerSchema>;

/** How long a pause holds when the scenario does not say, in ms. */
export const DEFAULT_PAUSE_MS = 5_000;
/** How long a network fault holds when the scenario does not say, in ms. */
export const DEFAULT_NETWORK_MS = 5_000;
/** Down time between the kill and the start of a restart when the scenario does not say, in ms. */
export const DEFAULT_RESTART_DOWN_MS = 0;

/** The services a worker reaches through a proxy the harness owns (see tcp-proxy.ts); `kafka` is refused at inject time. */
export const networkTargets = ['mysql', 'search', 'connect', 'kafka'] as const;
export type NetworkTarget = (typeof networkTargets)[number];

const downMs = z.number().int().min(0).default(DEFAULT_RESTART_DOWN_MS);
const restart = <K extends string, T extends string>(kind: K, target: T) =>
  z.strictObject({
    kind: z.literal(kind),
    at: faultTriggerSchema,
    /** Ms between the SIGKILL and the start again (default 0: start at once). */
    durationMs: downMs,
    target: z.literal(target).default(target),
  });

const networkSchema = z
  .strictObject({
    kind: z.literal('network'),
    at: faultTriggerSchema,
    /** How long the mode holds before the proxy is back to pass-through, in ms (default 5000). */
    durationMs: z.number().int().min(1).default(DEFAULT_NETWORK_MS),
    /** The service whose connections from the worker are cut or slowed. */
    target: z.enum(networkTargets),
    /** `latency`: every chunk delayed, order kept; `drop`: nothing crosses, connections stay open; `reset`: every connection reset. */
    mode: z.enum(['latency', 'drop', 'reset']),
    /** Mode `latency`: added delay per chunk and direction, in ms (required there, refused elsewhere). */
    latencyMs: z.number().int().min(1).optional(),
    /** Mode `latency`: up to this many ms more, uniformly at random, per chunk (default 0). */
    jitterMs: z.number().int().min(0).optional(),
  })
  .check((ctx) => {
    const { mode, latencyMs, jitterMs } = ctx.value;
    if (mode === 'latency' && latencyMs === undefined) {
      ctx.issues.push({ code: 'custom', message: 'mode latency needs latencyMs (the added delay in ms)', path: ['latencyMs'], input: ctx.value });
    }
    if (mode !== 'latency') {
      for (const [key, value] of [['latencyMs', latencyMs], ['jitterMs', jitterMs]] as const) {
        if (value !== undefined) ctx.issues.push({ code: 'custom', message: `${key} applies to mode latency only, not ${mode}`, path: [key], input: ctx.value });
      }
    }
  });

export const faultSpecSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('search-pause'),
    at: faultTriggerSchema,
    /** How long the engine stays frozen (SIGSTOP until SIGCONT), in ms (default 5000). */
    durationMs: z.number().int().min(1).default(DEFAULT_PAUSE_MS),
    target: z.literal('search').default('search'),
  }),
  restart('search-restart', 'search'),
  restart('kafka-restart', 'kafka'),
  restart('connect-restart', 'connect'),
  restart('mysql-restart', 'mysql'),
  z.strictObject({
    kind: z.literal('mysql-kill-connections'),
    at: faultTriggerSchema,
    /** KILL every connection of the worker's own MySQL user; instantaneous, nothing to heal. */
    target: z.literal('mysql').default('mysql'),
  }),
  z.strictObject({
    kind: z.literal('strategy-crash'),
    at: faultTriggerSchema,
    /** SIGKILL the strategy's worker; the harness starts it again and runs open + recover. */
    target: z.literal('worker').default('worker'),
  }),
  networkSchema,
]);
export type FaultSpec = z.output<typeof faultSpecSchema>;
export type FaultKindName = FaultSpec['kind'];
export type FaultSpecOf<K extends FaultKindName> = Extract<FaultSpec, { kind: K }>;

export const faultKindNames = faultSpecSchema.options.map((option) => option.shape.kind.value) as readonly FaultKindName[];

/** A problem found outside the schema, at a path under the scenario root (`faults[0].at.phase`). */
export interface FaultProblem {
  path: (string | number)[];
  message: string;
}

/** Each fault triggered by a phase must name a phase of the scenario. */
export function faultReferenceProblems(faults: readonly FaultSpec[], phaseNames: readonly string[]): FaultProblem[] {
  const problems: FaultProblem[] = [];
  faults.forEach((fault, index) => {
    if ('phase' in fault.at && !phaseNames.includes(fault.at.phase)) {
      problems.push({ path: ['faults', index, 'at', 'phase'], message: `unknown phase "${fault.at.phase}" (phases: ${phaseNames.join(', ')})` });
    }
  });
  return problems;
}

/** "search-pause on search at load 50%" — for logs and verdict lines. */
export function describeFault(fault: FaultSpec): string {
  const when = 'phase' in fault.at ? `at ${fault.at.phase} ${Math.round(fault.at.fraction * 100)}%` : `${fault.at.afterMs} ms in`;
  const mode = fault.kind === 'network' ? ` ${fault.mode}${fault.mode === 'latency' ? ` ${fault.latencyMs}±${fault.jitterMs ?? 0} ms` : ''}` : '';
  return `${fault.kind}${mode} on ${fault.target} ${when}`;
}
