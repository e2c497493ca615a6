// The name of a pair's history file in its run folder, shared by the run, the run manifest and
// `npm run check`.
export function historyFileName(strategy: string, scenario: string): string {
  return `history-${strategy}-${scenario}.jsonl`;
}
