// The proxy's own behaviour over real TCP on loopback, in front of a small echo server (the proxy
// is the unit here; test/integration/nemesis-network.test.ts runs it in front of the real MariaDB).
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpProxy } from './tcp-proxy.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Echo {
  port: number;
  accepted: number;
  ends: number;
  close(): Promise<void>;
}

async function echoServer(): Promise<Echo> {
  const sockets = new Set<net.Socket>();
  const echo = { port: 0, accepted: 0, ends: 0, close: () => Promise.resolve() };
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    echo.accepted++;
    sockets.add(socket);
    socket.on('data', (chunk) => socket.write(chunk));
    socket.on('end', () => {
      echo.ends++;
      socket.end();
    });
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  echo.port = (server.address() as net.AddressInfo).port;
  echo.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return echo;
}

/** A client that collects what it receives and how it ended. */
async function client(port: number) {
  const socket = net.connect({ port, host: '127.0.0.1' });
  const state = { received: '', error: undefined as NodeJS.ErrnoException | undefined, closed: false };
  socket.on('data', (chunk) => (state.received += chunk.toString()));
  socket.on('error', (error) => (state.error = error));
  socket.on('close', () => (state.closed = true));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  return { socket, state };
}

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(random?: () => number) {
  const echo = await echoServer();
  cleanups.push(() => echo.close());
  const proxy = await TcpProxy.start({ host: '127.0.0.1', port: echo.port }, random ? { random } : {});
  cleanups.push(() => proxy.close());
  return { echo, proxy };
}

describe('TCP proxy', () => {
  it('passes bytes through both ways, and a half-close', async () => {
    const { echo, proxy } = await setup();
    const { socket, state } = await client(proxy.port);
    socket.write('hello');
    await until(() => state.received === 'hello');
    socket.end();
    await until(() => state.closed);
    expect(echo.ends).toBe(1);
    expect(proxy.openConnections).toBe(0);
  });

  it('delays each chunk in both directions and keeps their order under jitter', async () => {
    const { proxy } = await setup();
    proxy.setMode({ mode: 'latency', latencyMs: 150 });
    const { socket, state } = await client(proxy.port);
    const started = Date.now();
    socket.write('x');
    await until(() => state.received === 'x');
    // Out and back: the delay applies once per direction.
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);

    proxy.setMode({ mode: 'latency', latencyMs: 5, jitterMs: 40 });
    const expected = Array.from({ length: 40 }, (_, i) => `<${i}>`).join('');
    for (let i = 0; i < 40; i++) {
      socket.write(`<${i}>`);
      await sleep(1);
    }
    await until(() => state.received.length === 1 + expected.length);
    expect(state.received).toBe(`x${expected}`);
    proxy.setMode({ mode: 'pass' });
    const passStarted = Date.now();
    socket.write('y');
    await until(() => state.received.endsWith('y'));
    expect(Date.now() - passStarted).toBeLessThan(100);
  });

  it('drops: nothing crosses and the connection stays open; after heal what was held arrives', async () => {
    const { echo, proxy } = await setup();
    const { socket, state } = await client(proxy.port);
    socket.write('a');
    await until(() => state.received === 'a');
    proxy.setMode({ mode: 'drop' });
    socket.write('b');
    const late = await client(proxy.port);
    late.socket.write('c');
    await sleep(300);
    expect(state.received).toBe('a');
    expect(state.closed).toBe(false);
    expect(late.state.received).toBe('');
    // The connection made during the drop was not carried to the service.
    expect(echo.accepted).toBe(1);
    proxy.setMode({ mode: 'pass' });
    await until(() => state.received === 'ab' && late.state.received === 'c');
    expect(echo.accepted).toBe(2);
    expect(state.error).toBeUndefined();
  });

  it('resets open connections and each new one', async () => {
    const { proxy } = await setup();
    const { socket, state } = await client(proxy.port);
    socket.write('a');
    await until(() => state.received === 'a');
    proxy.setMode({ mode: 'reset' });
    await until(() => state.closed);
    expect(state.error?.code).toBe('ECONNRESET');
    const late = net.connect({ port: proxy.port, host: '127.0.0.1' });
    const lateError = await new Promise<NodeJS.ErrnoException>((resolve) => late.once('error', resolve));
    expect(lateError.code).toBe('ECONNRESET');
    proxy.setMode({ mode: 'pass' });
    const again = await client(proxy.port);
    again.socket.write('ok');
    await until(() => again.state.received === 'ok');
    again.socket.destroy();
  });

  it('closes: the port stops listening and open connections end', async () => {
    const { proxy } = await setup();
    const { state } = await client(proxy.port);
    await proxy.close();
    await until(() => state.closed);
    const refused = net.connect({ port: proxy.port, host: '127.0.0.1' });
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => refused.once('error', resolve));
    expect(error.code).toBe('ECONNREFUSED');
  });
});
