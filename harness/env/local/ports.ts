// Port selection for local services: a free port on 127.0.0.1 chosen by the kernel, or a
// configured one checked to be free, and a check whether anything still listens on a port.
import net from 'node:net';
import { ConfigError } from '../../errors.ts';

/** Ask the kernel for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port assigned'));
      });
    });
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A configured port if given (it must be free), otherwise a free one; `name` goes in the error. */
export async function choosePort(name: string, configured: number | undefined, taken: Set<number>): Promise<number> {
  if (configured !== undefined) {
    if (!Number.isInteger(configured) || configured < 1 || configured > 65535) {
      throw new ConfigError(`ports.${name}: expected a TCP port 1-65535, got ${configured}`);
    }
    if (taken.has(configured) || (await isListening(configured))) {
      throw new ConfigError(`ports.${name}: port ${configured} on 127.0.0.1 is already in use`);
    }
    taken.add(configured);
    return configured;
  }
  for (;;) {
    const port = await freePort();
    if (!taken.has(port)) {
      taken.add(port);
      return port;
    }
  }
}
