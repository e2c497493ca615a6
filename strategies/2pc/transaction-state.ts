// The coordinator's transaction states and their legal transitions, as one table (after KafkaJS's
// transactional producer): a transaction moves only along it, and a move off it is a bug that
// throws. The commit point is `committing`: the COMMIT decision is in the log, and from there the
// only way is forward (committed, or in doubt until recovery commits it).
//
//   active ──▶ preparing ──▶ prepared ──▶ committing ──▶ committed
//     │            │             │  │          └──────────▶ inDoubt
//     │            │             │  └─────────────────────▶ inDoubt (the decision's fate unknown)
//     │            └─────────────┴──▶ aborting ──▶ aborted
//     ├──▶ aborting                       └──────▶ inDoubt
//     └──▶ unchanged (no row changed)
//
// active: the XA branch is open and its statements run. preparing: XA END sent, both participants
// asked to prepare. prepared: both voted yes (the MySQL branch holds its locks, in doubt, from here
// until phase 2 reaches it). aborting: abort decided (a no vote, a failure before the decision, or
// recovery's abort fence got there first). inDoubt: phase 2 could not finish in this process; the
// decision log (or its absence: presumed abort) says how recovery ends it.
export const TRANSACTION_STATES = ['active', 'preparing', 'prepared', 'committing', 'committed', 'aborting', 'aborted', 'unchanged', 'inDoubt'] as const;
export type TransactionState = (typeof TRANSACTION_STATES)[number];

export const TRANSITIONS: Readonly<Record<TransactionState, readonly TransactionState[]>> = {
  active: ['preparing', 'aborting', 'unchanged'],
  preparing: ['prepared', 'aborting'],
  prepared: ['committing', 'aborting', 'inDoubt'],
  committing: ['committed', 'inDoubt'],
  aborting: ['aborted', 'inDoubt'],
  committed: [],
  aborted: [],
  unchanged: [],
  inDoubt: [],
};

export class IllegalTransitionError extends Error {
  constructor(xid: string, from: TransactionState, to: TransactionState) {
    super(`2pc transaction ${xid}: no transition from ${from} to ${to}`);
  }
}

/** One transaction's state, moved only along TRANSITIONS, with the times the figures need. */
export class TransactionRecord {
  private current: TransactionState = 'active';
  readonly startedAt: number;
  /** When both participants had voted yes (the MySQL branch is in doubt from then). */
  preparedAt: number | null = null;
  /** When it reached committed, aborted or unchanged. */
  endedAt: number | null = null;

  constructor(
    readonly xid: string,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.startedAt = now();
  }

  get state(): TransactionState {
    return this.current;
  }

  to(next: TransactionState): void {
    if (!TRANSITIONS[this.current].includes(next)) throw new IllegalTransitionError(this.xid, this.current, next);
    this.current = next;
    if (next === 'prepared') this.preparedAt = this.now();
    if (next === 'committed' || next === 'aborted' || next === 'unchanged') this.endedAt = this.now();
  }

  /** How long the MySQL branch was prepared and undecided-upon here: from both votes to the end; null if it never got there or has not ended. */
  inDoubtMs(): number | null {
    return this.preparedAt !== null && this.endedAt !== null ? this.endedAt - this.preparedAt : null;
  }
}
