// The data dir's embedded Redis: shared by the app and the CLI. Whoever starts it records its port and pid
// in <dataDir>/redis/server.json; others find it there and connect instead of starting a second server
// on the same files. Every client must AUTH with the data dir's secret (<dataDir>/redis/secret, 0600): other
// local users reach 127.0.0.1 too, and must not inject frames or SHUTDOWN the server.
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, constants, fchmodSync, fstatSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { RedisServerProcess, type RedisServerState } from './redis-server-process';

export interface EmbeddedRedisLease {
  /** redis://:<secret>@127.0.0.1:<port>: for the workbench's own clients; show it only through redactRedisUrl. */
  url: string;
  /** True when this lease started the server (and release() stops it). */
  owned: boolean;
  server?: RedisServerProcess;
  /**
   * For a server this lease started: whenever it stops without release() (SHUTDOWN, a crash, kill), start it
   * again on the same port with the same data and secret, and tell `listener`. A no-op for a shared server.
   */
  supervise(listener: (event: EmbeddedRedisEvent) => void): void;
  release(): Promise<void>;
}

export type EmbeddedRedisEvent =
  | { kind: 'stopped'; why: string }
  | { kind: 'restarted'; why: string; port: number; pid: number }
  /** A shared server came back on another port: connect again to the data dir's server. */
  | { kind: 'moved'; why: string; port: number }
  | { kind: 'restart-failed'; why: string; error: string };

/** What to tell the user about an event: the Ol-Fi panel's notice, a command's stderr. */
export function describeEmbeddedRedisEvent(event: EmbeddedRedisEvent, at = new Date()): string {
  const time = at.toTimeString().slice(0, 8);
  switch (event.kind) {
    case 'stopped':
      return `embedded Redis stopped at ${time} (${event.why}) — restarting it on the same port with the same data`;
    case 'restarted':
      return `embedded Redis stopped (${event.why}) — restarted at ${time} on port ${event.port} with the same data; the stream resumes where it was`;
    case 'moved':
      return `embedded Redis stopped (${event.why}) — another bioxen process started it again, on port ${event.port}`;
    case 'restart-failed':
      return `embedded Redis stopped (${event.why}) and could not be restarted: ${event.error}`;
  }
}

export class EmbeddedRedisError extends Error {
  override readonly name = 'EmbeddedRedisError';
}

interface ServerRecord {
  port: number;
  pid: number;
}

const SECRET = /^[0-9a-f]{64}$/;
/** Waits between attempts to start a stopped server again (its port may still be held for a moment). */
const RESTART_DELAYS_MS = [0, 250, 500, 1000, 2000, 4000];
/** A server that keeps stopping is not restarted forever: at most this many restarts per window. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
/** How often a shared server's pid is checked. */
const SHARED_WATCH_MS = 1000;
/**
 * A recorded server that does not answer may be on its way out (a workbench that has just quit
 * saves and exits): how long to wait for it to answer or exit before saying it does not answer.
 */
const SETTLE_MS = 5000;

function embeddedRedisDir(dataDir: string): string {
  return join(dataDir, 'redis');
}

/**
 * Connects to the data dir's running embedded Redis, or starts one (data kept in an append-only file).
 * Aborting `signal` stops a server this call is still starting; it then rejects with code 'cancelled'.
 */
export async function acquireEmbeddedRedis(dataDir: string, executable?: string, signal?: AbortSignal, port?: number): Promise<EmbeddedRedisLease> {
  const dir = privateDir(embeddedRedisDir(dataDir));
  const secret = dataDirSecret(dir);
  const recordFile = join(dir, 'server.json');
  const running = readRecord(recordFile);
  if (running && isAlive(running.pid)) {
    const answer = await settledAnswer(running, secret);
    if (answer === 'ok') return sharedLease(dataDir, executable, secret, running);
    if (answer === 'no' && isRedisServer(running.pid)) {
      throw new EmbeddedRedisError(
        `the embedded redis-server of ${dataDir} (pid ${running.pid}, port ${running.port}) does not answer — it may be stopped (kill -CONT ${running.pid}) or overloaded; a second server on the same data would damage it, so try again once it answers`,
      );
    }
    if (answer === 'refused') {
      throw new EmbeddedRedisError(
        `the embedded redis-server of ${dataDir} (pid ${running.pid}, port ${running.port}) refuses this data dir's secret — it was started by an older version without one; stop it (kill ${running.pid}) and try again`,
      );
    }
  }
  const server = new RedisServerProcess(executable);
  const info = await server.start({ dataDir: dir, persistence: 'aof', password: secret, port }, signal);
  writeRecord(recordFile, { port: info.port, pid: info.pid });
  let released = false;
  let supervision: Promise<void> | undefined;
  const restarts: number[] = [];
  return {
    url: info.url,
    owned: true,
    server,
    supervise: (listener) => {
      server.onStateChange((state) => {
        if (released || supervision || !stoppedOnItsOwn(state)) return;
        const now = Date.now();
        while (restarts.length > 0 && restarts[0]! < now - RESTART_WINDOW_MS) restarts.shift();
        if (restarts.length >= MAX_RESTARTS) {
          const why = describeExit(server.lastExit);
          listener({ kind: 'restart-failed', why, error: `it stopped ${MAX_RESTARTS + 1} times within ${RESTART_WINDOW_MS / 1000} s, so it is not restarted again — see redis-server's log, or restart the workbench` });
          return;
        }
        restarts.push(now);
        supervision = restartStopped(server, recordFile, () => released, listener).finally(() => (supervision = undefined));
      });
    },
    release: async () => {
      released = true;
      await supervision;
      const pid = server.info?.pid;
      await server.stop();
      const recorded = readRecord(recordFile)?.pid;
      if (recorded === info.pid || recorded === pid) rmSync(recordFile, { force: true });
    },
  };
}

/**
 * A server another bioxen process started. Supervised, it is watched: when it is gone (its owner ended, or it
 * stopped and nobody restarted it) this lease starts one on the same port with the same data, or joins the one
 * someone else started there meanwhile, and from then on behaves as that lease.
 */
function sharedLease(dataDir: string, executable: string | undefined, secret: string, running: ServerRecord): EmbeddedRedisLease {
  let watch: NodeJS.Timeout | undefined;
  let released = false;
  const lease: EmbeddedRedisLease = {
    url: clientUrl(secret, running.port),
    owned: false,
    supervise: (listener) => {
      watch ??= setInterval(() => {
        if (isAlive(running.pid)) return;
        clearInterval(watch);
        listener({ kind: 'stopped', why: `its redis-server (pid ${running.pid}, started by another bioxen process) is gone` });
        void takeOver(listener);
      }, SHARED_WATCH_MS);
      watch.unref();
    },
    release: async () => {
      released = true;
      clearInterval(watch);
    },
  };
  const takeOver = async (listener: (event: EmbeddedRedisEvent) => void) => {
    const why = 'the redis-server another bioxen process started is gone';
    let error = '';
    // Its owner may be restarting it on the same port right now: give it the first second.
    for (const delay of [SHARED_WATCH_MS, ...RESTART_DELAYS_MS.slice(2)]) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (released) return;
      try {
        const next = await acquireEmbeddedRedis(dataDir, executable, undefined, running.port);
        if (released) return void (await next.release());
        if (next.url !== lease.url) {
          await next.release();
          listener({ kind: 'moved', why, port: Number(new URL(next.url).port) });
          return;
        }
        Object.assign(lease, { owned: next.owned, server: next.server, supervise: next.supervise, release: next.release });
        next.supervise(listener);
        const pid = readRecord(join(embeddedRedisDir(dataDir), 'server.json'))?.pid ?? 0;
        listener({ kind: 'restarted', why, port: running.port, pid });
        return;
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
    }
    if (!released) listener({ kind: 'restart-failed', why, error });
  };
  return lease;
}

function stoppedOnItsOwn(state: RedisServerState): boolean {
  return state === 'exited' || state === 'crashed';
}

async function restartStopped(server: RedisServerProcess, recordFile: string, released: () => boolean, listener: (event: EmbeddedRedisEvent) => void): Promise<void> {
  const why = describeExit(server.lastExit);
  listener({ kind: 'stopped', why });
  let error = '';
  for (const delay of RESTART_DELAYS_MS) {
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    if (released()) return;
    try {
      const info = await server.restart();
      writeRecord(recordFile, { port: info.port, pid: info.pid });
      listener({ kind: 'restarted', why, port: info.port, pid: info.pid });
      return;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
  }
  if (!released()) listener({ kind: 'restart-failed', why, error });
}

function describeExit(exit: { code: number | null; signal: NodeJS.Signals | null } | undefined): string {
  if (!exit) return 'it stopped';
  if (exit.signal) return `it was killed by ${exit.signal}`;
  return exit.code === 0 ? 'it exited normally (SHUTDOWN?)' : `it exited with code ${exit.code}`;
}

/** <dataDir>/redis, 0700: made so, or tightened when an older version made it readable by others. */
function privateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  if (!stat.isDirectory()) throw new EmbeddedRedisError(`${dir} is not a directory — move it away; the embedded Redis keeps its data and secret there`);
  if (stat.mode & 0o077) chmodSync(dir, 0o700);
  return dir;
}

function clientUrl(secret: string, port: number): string {
  return `redis://:${secret}@127.0.0.1:${port}`;
}

/** The data dir's Redis secret: made once from crypto random, and published whole (a link, never a half-written file). */
function dataDirSecret(dir: string): string {
  const file = join(dir, 'secret');
  const existing = readSecret(file);
  if (existing !== undefined) return existing;
  const secret = randomBytes(32).toString('hex');
  const draft = writePrivateDraft(file, `${secret}\n`);
  try {
    linkSync(draft, file);
    return secret;
  } catch (err) {
    // Another bioxen process made it first: everyone uses the one that was published.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readSecret(file) ?? secret;
  } finally {
    rmSync(draft, { force: true });
  }
}

function readSecret(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw new EmbeddedRedisError(`${file} is a symbolic link — delete it; the embedded Redis then makes a new secret`);
    throw err;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new EmbeddedRedisError(`${file} is not a file — delete it; the embedded Redis then makes a new secret`);
    if (process.getuid && stat.uid !== process.getuid()) throw new EmbeddedRedisError(`${file} belongs to another user (uid ${stat.uid}) — delete it; the embedded Redis then makes a new secret`);
    if (stat.mode & 0o077) fchmodSync(fd, 0o600);
    const secret = readFileSync(fd, 'utf8').trim();
    if (!SECRET.test(secret)) throw new EmbeddedRedisError(`${file} does not hold a secret (64 hex digits) — delete it; the embedded Redis then makes a new secret`);
    return secret;
  } finally {
    closeSync(fd);
  }
}

/** Writes `text` to a new file beside `file`, created 0600 at open (never readable by others, even briefly). */
function writePrivateDraft(file: string, text: string): string {
  const draft = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(draft, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return draft;
}

function writeRecord(file: string, record: ServerRecord): void {
  renameSync(writePrivateDraft(file, JSON.stringify(record)), file);
}

function readRecord(file: string): ServerRecord | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<ServerRecord>;
    return Number.isInteger(value.port) && Number.isInteger(value.pid) ? (value as ServerRecord) : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether `pid` runs redis-server (Linux; elsewhere unknown, so false: a pid reused by another program is likelier). */
/** The recorded server's answer once it has settled: 'gone' when it exited while we waited. */
async function settledAnswer(running: ServerRecord, secret: string): Promise<'ok' | 'refused' | 'no' | 'gone'> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const answer = await answersPing(running.port, secret);
    if (!isAlive(running.pid)) return 'gone';
    if (answer !== 'no' || !isRedisServer(running.pid) || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function isRedisServer(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'redis-server';
  } catch {
    return false;
  }
}

/**
 * A recorded pid may have been reused by another program: only a Redis that answers PING after AUTH counts.
 * 'refused': a Redis answers there but not to this secret.
 */
function answersPing(port: number, secret: string): Promise<'ok' | 'refused' | 'no'> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (answer: 'ok' | 'refused' | 'no') => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(1000, () => done('no'));
    socket.on('error', () => done('no'));
    socket.on('connect', () => socket.write(`*2\r\n$4\r\nAUTH\r\n$${secret.length}\r\n${secret}\r\n*1\r\n$4\r\nPING\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (/^-(WRONGPASS|ERR AUTH|NOAUTH)/.test(reply)) done('refused');
      else if (reply.includes('\r\n', reply.indexOf('\r\n') + 2)) done(reply === '+OK\r\n+PONG\r\n' ? 'ok' : 'no');
    });
  });
}
