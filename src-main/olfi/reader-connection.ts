// The mirror's blocking reader: one plain Redis connection that sends a command and waits for its reply,
// decoded by RespDecoder (ioredis's general decoder costs more than parsing the frames on a backlog).
// No reconnect logic here: the mirror's read loop opens a new connection after a failure and resumes from its last id.
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { RespDecoder, RespError, type RespValue } from './resp-decoder';

const CONNECT_TIMEOUT_MS = 10_000;
/** Once TCP is up a TLS server answers the hello at once; a plain Redis port never does. */
const TLS_HANDSHAKE_TIMEOUT_MS = 3_000;

export type ReaderState = 'connecting' | 'ready' | 'closed';

interface Waiter {
  resolve: (value: RespValue) => void;
  reject: (err: Error) => void;
}

export class ReaderConnection {
  private socket: Socket | undefined;
  private readonly decoder = new RespDecoder();
  private readonly waiters: Waiter[] = [];
  private stateValue: ReaderState = 'connecting';
  private closeError: Error | undefined;

  constructor(private readonly name: string) {}

  /**
   * Connects, authenticates, selects the database and names the client; rejects with the reason if any
   * step fails. close() during open() ends it at once.
   */
  open(url: string): Promise<void> {
    return this.connect(new URL(url));
  }

  get state(): ReaderState {
    return this.stateValue;
  }

  /** Sends one command and resolves with its reply; error replies reject with their Redis message. */
  async call(...args: string[]): Promise<RespValue> {
    const reply = await this.send(args);
    if (reply instanceof RespError) throw reply;
    return reply;
  }

  close(): void {
    this.fail(new Error('Connection is closed.'));
  }

  private async connect(url: URL): Promise<void> {
    const host = url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
    const port = Number(url.port || 6379);
    const tls = url.protocol === 'rediss:';
    // SNI takes host names only (RFC 6066); without servername Node still checks the certificate against `host`.
    const servername = isIP(host) ? undefined : host;
    const socket = tls ? tlsConnect({ host, port, servername }) : netConnect({ host, port });
    this.socket = socket;
    socket.setNoDelay(true);
    // A host that never answers would otherwise hold the read loop for the OS's SYN timeout (minutes).
    let silence = `no answer in ${CONNECT_TIMEOUT_MS / 1000} s`;
    socket.setTimeout(CONNECT_TIMEOUT_MS);
    socket.on('timeout', () => this.fail(new Error(`connect ETIMEDOUT ${host}:${port} (${silence})`)));
    if (tls) {
      // A plain Redis port reads a TLS hello as an unfinished command and never answers: say which scheme to try.
      socket.once('connect', () => {
        silence = `no TLS handshake in ${TLS_HANDSHAKE_TIMEOUT_MS / 1000} s — if this server does not use TLS, use redis:// instead of rediss://`;
        socket.setTimeout(TLS_HANDSHAKE_TIMEOUT_MS);
      });
      socket.once('secureConnect', () => {
        silence = `no answer in ${CONNECT_TIMEOUT_MS / 1000} s`;
        socket.setTimeout(CONNECT_TIMEOUT_MS);
      });
    }
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('Connection is closed.')));
    await new Promise<void>((resolve, reject) => {
      socket.once(tls ? 'secureConnect' : 'connect', resolve);
      socket.once('error', reject);
      socket.once('close', () => reject(this.closeError ?? new Error('Connection is closed.')));
    });
    try {
      await this.handshake(url);
    } catch (err) {
      // A TLS-only port drops a plain client at its first command.
      if (!tls && (err as NodeJS.ErrnoException).code === 'ECONNRESET') {
        throw new Error(`${host}:${port} reset the connection at the first command — if this server expects TLS, use rediss:// instead of redis://`, { cause: err });
      }
      throw err;
    }
    if (this.stateValue === 'closed') throw this.closeError ?? new Error('Connection is closed.');
    socket.setTimeout(0);
    this.stateValue = 'ready';
  }

  /** Authenticates, selects the database and names the client. */
  private async handshake(url: URL): Promise<void> {
    const password = decodeURIComponent(url.password);
    const user = decodeURIComponent(url.username);
    if (password) await this.call('AUTH', ...(user ? [user] : []), password);
    const db = url.pathname.replace(/^\//, '');
    if (db && db !== '0') await this.call('SELECT', db);
    await this.call('CLIENT', 'SETNAME', this.name);
  }

  private send(args: string[]): Promise<RespValue> {
    const socket = this.socket;
    if (!socket || this.stateValue === 'closed') return Promise.reject(this.closeError ?? new Error('Connection is closed.'));
    let command = `*${args.length}\r\n`;
    for (const arg of args) command += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      socket.write(command);
    });
  }

  private receive(chunk: Buffer): void {
    let replies: RespValue[];
    try {
      replies = this.decoder.push(chunk);
    } catch (err) {
      this.fail(err as Error);
      return;
    }
    for (const reply of replies) this.waiters.shift()?.resolve(reply);
  }

  private fail(err: Error): void {
    if (this.stateValue === 'closed') return;
    this.stateValue = 'closed';
    this.closeError = err;
    this.socket?.destroy();
    this.decoder.reset();
    for (const waiter of this.waiters.splice(0)) waiter.reject(err);
  }
}
