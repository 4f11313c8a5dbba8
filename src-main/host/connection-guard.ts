// Keeps idle and unauthenticated connections from using up the host's file descriptors. Every TCP
// connection is "pending" until it becomes an authenticated contract WebSocket: a pending connection
// that sits idle (no request in progress) for `idleMs` is closed, and when a client address (or all
// of them) already holds the most pending connections allowed, the oldest idle one makes room for
// the newcomer. So a flood of silent sockets can't starve the page's own WebSocket: it gets a slot,
// and the flood is cut down within seconds.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  /** Pending connections one client address may hold. */
  perAddress: number;
  /** Pending connections across all addresses. */
  total: number;
  /** A pending connection with no request in progress is closed after this long. */
  idleMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = { perAddress: 64, total: 256, idleMs: 5_000 };

interface Pending {
  address: string;
  busy: number;
  timer: NodeJS.Timeout | undefined;
}

export class ConnectionGuard {
  // Insertion order is age order: the first idle entry of an address is its oldest.
  private readonly pending = new Map<Socket, Pending>();
  private readonly perAddress = new Map<string, number>();

  constructor(private readonly limits: ConnectionLimits = DEFAULT_CONNECTION_LIMITS) {}

  /** Pending connections now open. */
  get size(): number {
    return this.pending.size;
  }

  attach(server: Server): void {
    server.on('connection', (socket: Socket) => this.admit(socket));
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const entry = this.pending.get(req.socket);
      if (!entry) return;
      entry.busy++;
      this.clearTimer(entry);
      res.once('close', () => {
        entry.busy--;
        if (this.pending.has(req.socket)) this.armTimer(req.socket, entry);
      });
    });
  }

  /** The connection became an authenticated WebSocket: it is no longer limited here. */
  release(socket: Socket): void {
    const entry = this.pending.get(socket);
    if (entry) this.forget(socket, entry);
  }

  private admit(socket: Socket): void {
    const address = socket.remoteAddress ?? 'unknown';
    if ((this.perAddress.get(address) ?? 0) >= this.limits.perAddress && !this.evictIdle(address)) return void socket.destroy();
    if (this.pending.size >= this.limits.total && !this.evictIdle()) return void socket.destroy();
    const entry: Pending = { address, busy: 0, timer: undefined };
    this.pending.set(socket, entry);
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    this.armTimer(socket, entry);
    socket.once('close', () => {
      const current = this.pending.get(socket);
      if (current) this.forget(socket, current);
    });
  }

  /** Closes the oldest idle pending connection (of one address, or of any); false when every one is busy. */
  private evictIdle(address?: string): boolean {
    for (const [socket, entry] of this.pending) {
      if (entry.busy > 0 || (address !== undefined && entry.address !== address)) continue;
      this.forget(socket, entry);
      socket.destroy();
      return true;
    }
    return false;
  }

  private forget(socket: Socket, entry: Pending): void {
    this.clearTimer(entry);
    this.pending.delete(socket);
    const left = (this.perAddress.get(entry.address) ?? 1) - 1;
    if (left > 0) this.perAddress.set(entry.address, left);
    else this.perAddress.delete(entry.address);
  }

  private armTimer(socket: Socket, entry: Pending): void {
    this.clearTimer(entry);
    if (entry.busy > 0) return;
    entry.timer = setTimeout(() => {
      this.forget(socket, entry);
      socket.destroy();
    }, this.limits.idleMs);
    entry.timer.unref();
  }

  private clearTimer(entry: Pending): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = undefined;
  }
}
