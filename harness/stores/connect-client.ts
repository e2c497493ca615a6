// A small client of the Kafka Connect REST API: plugins, create (idempotent PUT of the config),
// delete, status, offsets, and a wait until a connector and its tasks run.
import { ConvergeError } from '../errors.ts';
import { retry } from '../retry.ts';

export class ConnectRequestError extends ConvergeError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(`Connect REST answered ${status}: ${message}`, { definite: status < 500, retriable: status >= 500 || status === 409 });
  }
}

export interface ConnectorStatus {
  name: string;
  connector: { state: string; worker_id: string; trace?: string };
  tasks: { id: number; state: string; worker_id: string; trace?: string }[];
  type?: string;
}

export interface ConnectorOffsets {
  offsets: { partition: Record<string, unknown>; offset: Record<string, unknown> }[];
}

export class ConnectClient {
  constructor(readonly url: string) {}

  private async call<T>(method: string, path: string, body?: unknown, accept: number[] = []): Promise<{ status: number; body: T }> {
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new ConvergeError(`Connect REST at ${this.url} did not answer ${method} ${path}`, { definite: false, retriable: true, cause: error });
    }
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as T) : (undefined as T);
    if (!response.ok && !accept.includes(response.status)) {
      const message = (parsed as { message?: string } | undefined)?.message ?? text;
      throw new ConnectRequestError(response.status, `${method} ${path}: ${message}`);
    }
    return { status: response.status, body: parsed };
  }

  async plugins(): Promise<{ class: string; type: string; version: string }[]> {
    return (await this.call<{ class: string; type: string; version: string }[]>('GET', '/connector-plugins')).body;
  }

  async list(): Promise<string[]> {
    return (await this.call<string[]>('GET', '/connectors')).body;
  }

  /** Create the connector, or replace its config when it exists. */
  async put(name: string, config: Record<string, string>): Promise<void> {
    await this.call('PUT', `/connectors/${encodeURIComponent(name)}/config`, { ...config, name });
  }

  /** Delete the connector; false when there was none (404). */
  async delete(name: string): Promise<boolean> {
    return (await this.call('DELETE', `/connectors/${encodeURIComponent(name)}`, undefined, [404])).status !== 404;
  }

  async status(name: string): Promise<ConnectorStatus | undefined> {
    const response = await this.call<ConnectorStatus>('GET', `/connectors/${encodeURIComponent(name)}/status`, undefined, [404]);
    return response.status === 404 ? undefined : response.body;
  }

  async offsets(name: string): Promise<ConnectorOffsets> {
    return (await this.call<ConnectorOffsets>('GET', `/connectors/${encodeURIComponent(name)}/offsets`)).body;
  }

  async restart(name: string): Promise<void> {
    await this.call('POST', `/connectors/${encodeURIComponent(name)}/restart?includeTasks=true`, undefined, [202, 204]);
  }

  /** Wait until the connector and all its tasks (at least one) are RUNNING; a FAILED one ends the wait with its trace. */
  async waitForRunning(name: string, timeoutMs = 60_000): Promise<ConnectorStatus> {
    return retry(
        async (_attempt, bail) => {
          const status = await this.status(name);
          if (!status) throw new ConvergeError(`connector ${name} not registered yet`, { retriable: true });
          const failed = [status.connector, ...status.tasks].find((part) => part.state === 'FAILED');
          if (failed) bail(new ConvergeError(`connector ${name} failed: ${failed.trace?.split('\n').slice(0, 3).join(' ') ?? 'no trace'}`));
          if (status.connector.state !== 'RUNNING' || status.tasks.length === 0 || status.tasks.some((task) => task.state !== 'RUNNING')) {
            throw new ConvergeError(`connector ${name} is ${status.connector.state}`, { retriable: true });
          }
          return status;
        },
        { timeoutMs, initialDelayMs: 200, maxDelayMs: 1000, description: `connector ${name} to run` },
      );
  }
}
