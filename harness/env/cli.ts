// `npm run env -- up|status|down`: start converge's services and leave them running, show them,
// stop them. With --json the last line of stdout is one JSON object (the endpoints contract);
// progress goes to stderr. Exit codes: 0 ok, 1 a service failed, 2 bad input or a missing
// prerequisite, 3 (status) not running.
import { Command, Option } from 'commander';
import { ConfigError, PrerequisiteError } from '../errors.ts';
import { providerNames, type ProviderName } from './endpoints.ts';
import { envDown, envServices, envUp, runningEnv } from './env-control.ts';
import { stopLocalEnv } from './local/local-provider.ts';
import { probeEndpoints } from './probe.ts';
import { DEFAULT_ENV_DIR } from './state.ts';

const say = (line: string) => process.stderr.write(`converge env: ${line}\n`);

function exitCodeOf(error: unknown): number {
  return error instanceof ConfigError || error instanceof PrerequisiteError ? 2 : 1;
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('env').description('Start, inspect and stop the services converge runs against.').exitOverride();
  const dirOption = () => new Option('--dir <dir>', 'folder for service data, logs and env.json').default(DEFAULT_ENV_DIR);

  program
    .command('up')
    .description('start every service and return once all are ready; they keep running until `down`')
    .addOption(new Option('--provider <name>', 'where services come from').choices(providerNames))
    .addOption(dirOption())
    .option('--json', 'print the endpoints as one JSON object on the last line of stdout')
    .action(async (opts: { provider?: ProviderName; dir: string; json?: boolean }) => {
      const onSignal = () => {
        say('interrupted: stopping what was started');
        void stopLocalEnv(opts.dir).finally(() => process.exit(130));
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const result = await envUp({ ...(opts.provider ? { provider: opts.provider } : {}), dir: opts.dir, log: say });
      say(result.started ? `up (${result.endpoints.provider}) in ${result.timings.total ?? '?'} ms` : `already running from ${opts.dir}; reusing it`);
      if (opts.json) process.stdout.write(`${JSON.stringify(result.endpoints)}\n`);
      else printEndpoints(result.endpoints);
    });

  program
    .command('status')
    .description('show the running environment and probe each service')
    .addOption(dirOption())
    .option('--json', 'print the endpoints (and probes) as one JSON object')
    .action(async (opts: { dir: string; json?: boolean }) => {
      const running = runningEnv(opts.dir);
      if (!running) {
        const services = envServices(opts.dir);
        say(`not running${services.length ? ` (some services are dead: ${services.filter((s) => !s.running).map((s) => s.name).join(', ')}; run down)` : ` (nothing recorded in ${opts.dir})`}`);
        if (opts.json) process.stdout.write(`${JSON.stringify({ running: false })}\n`);
        process.exitCode = 3;
        return;
      }
      const probes = await probeEndpoints(running.endpoints);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ ...running.endpoints, services: envServices(opts.dir), probes })}\n`);
      } else {
        printEndpoints(running.endpoints);
        for (const service of envServices(opts.dir)) say(`${service.name}: ${service.running ? 'running' : 'dead'} pid ${service.pid ?? '-'} ${service.detail ?? ''}`);
        say(`probes: ${JSON.stringify(probes)}`);
      }
    });

  program
    .command('down')
    .description('stop every service the environment started')
    .addOption(dirOption())
    .option('--wipe', 'delete the services\' data as well')
    .action(async (opts: { dir: string; wipe?: boolean }) => {
      const result = await envDown({ dir: opts.dir, wipe: opts.wipe ?? false });
      if (result.stillListening.length > 0) {
        say(`stopped ${result.stopped.join(', ')}, but ports still listen: ${result.stillListening.join(', ')}`);
        process.exitCode = 1;
        return;
      }
      say(result.stopped.length ? `stopped ${result.stopped.join(', ')}${opts.wipe ? ' and wiped the data' : ''}` : 'nothing was running');
    });

  await program.parseAsync(argv, { from: 'user' });
}

function printEndpoints(endpoints: import('./endpoints.ts').Endpoints): void {
  const { mysql, kafka, connect, search } = endpoints;
  process.stdout.write(
    [
      `provider  ${endpoints.provider}`,
      `mysql     mysql://${mysql.user}@${mysql.host}:${mysql.port}/${mysql.database}  (${mysql.flavor} ${mysql.version})`,
      `kafka     ${kafka.brokers.join(',')}`,
      `connect   ${connect.url}`,
      `search    ${search.url}  (${search.engine} ${search.version})`,
      '',
    ].join('\n'),
  );
}

main(process.argv.slice(2)).then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('commander.')) process.exit(code === 'commander.helpDisplayed' || code === 'commander.version' ? 0 : 2);
    say(error instanceof Error ? error.message : String(error));
    process.exit(exitCodeOf(error));
  },
);
