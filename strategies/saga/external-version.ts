// The external version of a saga's index writes. It comes from the saga's sequence number in the
// log (its AUTO_INCREMENT, allocated inside step 1's transaction after the business row was
// locked, so per key it grows in commit order, across deletes and re-inserts too): the forward
// step writes 2·seq, the compensation 2·seq + 1. A later saga on the key (seq' > seq) outranks
// both; the compensation outranks its own forward step; replays are answered 409 and never move a
// document backwards. The row's `version` column stays in the document as data.

export function forwardVersion(seq: number): number {
  return seq * 2;
}

export function compensationVersion(seq: number): number {
  return seq * 2 + 1;
}
