// The log file of one pair's worker in a run folder: the worker's stdout and stderr and its
// clients' logs (kafkajs), kept out of the console. Named like the pair's history.

/** The worker log's name, relative to the run folder. */
export function workerLogName(strategy: string, scenario: string): string {
  return `worker-${strategy}-${scenario}.log`;
}
