// A TCP proxy the harness owns, between a strategy's worker and one service, whose behaviour a
// network fault switches at run time:
//   - pass: bytes cross as they come;
//   - latency: every chunk waits `latencyMs` (+ up to `jitterMs`, uniformly at random) before it
//     crosses, in both directions, and chunks never overtake each other;
//   - drop: a blackhole as TCP shows one: nothing crosses and nothing is lost. Both directions stop
//     being read (the kernel's windows fill and the senders stall), connections stay open, a new
//     connection is accepted but not connected onward; once the mode changes, what was held
//     crosses, to whichever peer is still waiting. The peers' own timeouts decide what fails;
//     bytes are never discarded, because no real network hands a TCP peer a stream with a hole;
//   - reset: every open connection is reset (RST) on both sides, and so is each new one.
// No maintained package fits: toxiproxy is a Go server found neither in Debian nor as an npm
// package that ships it (its npm clients need the server), and the npm TCP proxies forward
// without modes. Kafka cannot sit behind it: its clients reconnect to the broker address the
// metadata advertises, not to the proxy, so the network fault refuses a `kafka` target.
import net from 'node:net';

export type ProxyMode =
  | { mode: 'pass' }
  | { mode: 'latency'; latencyMs: number; jitterMs?: number }
  | { mode: 'drop' }
  | { mode: 'reset' };

export interface ProxyTarget {
  host: string;
  port: number;
}

export interface TcpProxyOptions {
  /** Uniform [0, 1) source for the jitter (default Math.random). */
  random?: () => number;
}

/** One direction of one connection: a queue of chunks with the time each may cross. */
class Pipe {
  private readonly queue: { chunk: Buffer; due: number }[] = [];
  private lastDue = 0;
  private timer: NodeJS.Timeout | undefined;
  private ended = false;
  private endSent = false;
  private backpressured = false;

  constructor(
    private readonly proxy: TcpProxy,
    private readonly from: net.Socket,
    private readonly to: net.Socket,
  ) {
    from.on('data', (chunk: Buffer) => this.push(chunk));
    from.on('end', () => {
      this.ended = true;
      this.pump();
    });
    to.on('drain', () => {
      this.backpressured = false;
      this.applyMode();
      this.pump();
    });
  }

  private push(chunk: Buffer): void {
    const mode = this.proxy.mode;
    const delay = mode.mode === 'latency' ? mode.latencyMs + (mode.jitterMs ?? 0) * this.proxy.random() : 0;
    this.lastDue = Math.max(Date.now() + delay, this.lastDue);
    this.queue.push({ chunk, due: this.lastDue });
    this.pump();
  }

  /** Read or stop reading as the mode and the receiver's backpressure say. */
  applyMode(): void {
    if (this.proxy.mode.mode === 'drop' || this.backpressured) this.from.pause();
    else this.from.resume();
  }

  /** Hand every chunk that is due to the receiver; come back when the next one is. */
  pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.proxy.mode.mode === 'drop' || this.to.destroyed) return;
    const now = Date.now();
    while (this.queue.length > 0 && this.queue[0]!.due <= now) {
      if (!this.to.write(this.queue.shift()!.chunk)) {
        this.backpressured = true;
        this.applyMode();
      }
    }
    if (this.queue.length > 0) this.timer = setTimeout(() => this.pump(), this.queue[0]!.due - now);
    else if (this.ended && !this.endSent) {
      this.endSent = true;
      this.to.end();
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    this.queue.length = 0;
  }
}

/** A client's connection and, once connected onward, the service's side of it. */
class Link {
  upstream: net.Socket | undefined;
  private pipes: Pipe[] = [];

  constructor(
    private readonly proxy: TcpProxy,
    readonly client: net.Socket,
  ) {
    client.on('error', () => this.abort(this.upstream));
    client.on('close', () => this.destroy());
  }

  /** Connect to the service and wire both directions. */
  connect(target: ProxyTarget): void {
    // Half-open on both sides, so each direction's end (FIN) is forwarded on its own.
    const upstream = net.connect({ host: target.host, port: target.port, allowHalfOpen: true });
    this.upstream = upstream;
    upstream.setNoDelay(true);
    upstream.on('error', () => this.abort(this.client));
    upstream.on('close', () => this.destroy());
    this.pipes = [new Pipe(this.proxy, this.client, upstream), new Pipe(this.proxy, upstream, this.client)];
    this.applyMode();
  }

  applyMode(): void {
    for (const pipe of this.pipes) {
      pipe.applyMode();
      pipe.pump();
    }
  }

  /** One side failed: the other sees a reset, as it would if the network path broke. */
  private abort(other: net.Socket | undefined): void {
    if (other && !other.destroyed) other.resetAndDestroy();
    this.destroy();
  }

  reset(): void {
    if (!this.client.destroyed) this.client.resetAndDestroy();
    if (this.upstream && !this.upstream.destroyed) this.upstream.resetAndDestroy();
    this.destroy();
  }

  destroy(): void {
    for (const pipe of this.pipes) pipe.stop();
    if (!this.client.destroyed) this.client.destroy();
    if (this.upstream && !this.upstream.destroyed) this.upstream.destroy();
    this.proxy.forget(this);
  }
}

export class TcpProxy {
  private current: ProxyMode = { mode: 'pass' };
  private readonly links = new Set<Link>();
  readonly random: () => number;
  readonly host = '127.0.0.1';

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    readonly target: ProxyTarget,
    options: TcpProxyOptions,
  ) {
    this.random = options.random ?? Math.random;
    server.on('connection', (client) => this.accept(client));
  }

  /** Listen on a free port of 127.0.0.1, forwarding to `target` (pass-through until told otherwise). */
  static async start(target: ProxyTarget, options: TcpProxyOptions = {}): Promise<TcpProxy> {
    const server = net.createServer({ pauseOnConnect: true, noDelay: true, allowHalfOpen: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address() as net.AddressInfo;
    return new TcpProxy(server, address.port, target, options);
  }

  get mode(): ProxyMode {
    return this.current;
  }

  /** Connections open through the proxy now. */
  get openConnections(): number {
    return this.links.size;
  }

  /** Switch the mode; it applies at once to open connections and to new ones. */
  setMode(mode: ProxyMode): void {
    this.current = mode;
    for (const link of [...this.links]) {
      if (mode.mode === 'reset') link.reset();
      else if (!link.upstream && mode.mode !== 'drop') link.connect(this.target);
      else link.applyMode();
    }
  }

  private accept(client: net.Socket): void {
    if (this.current.mode === 'reset') {
      client.resetAndDestroy();
      return;
    }
    const link = new Link(this, client);
    this.links.add(link);
    // In drop mode the client waits, paused, until the mode lets it through.
    if (this.current.mode !== 'drop') link.connect(this.target);
  }

  /** Called by a link once both its sockets are gone. */
  forget(link: Link): void {
    this.links.delete(link);
  }

  /** Stop listening and close every connection. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const link of [...this.links]) link.destroy();
    await closed;
  }
}
