// The data dir's embedded Redis: shared by the app and the CLI. Whoever starts it records its port and pid
// in <dataDir>/redis/server.json; others find it there and connect instead of starting a second server
// on the same files.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { RedisServerProcess } from './redis-server-process';

export interface EmbeddedRedisLease {
  url: string;
  /** True when this lease started the server (and release() stops it). */
  owned: boolean;
  server?: RedisServerProcess;
  release(): Promise<void>;
}

interface ServerRecord {
  port: number;
  pid: number;
}

function embeddedRedisDir(dataDir: string): string {
  return join(dataDir, 'redis');
}

/**
 * Connects to the data dir's running embedded Redis, or starts one (data kept in an append-only file).
 * Aborting `signal` stops a server this call is still starting; it then rejects with code 'cancelled'.
 */
export async function acquireEmbeddedRedis(dataDir: string, executable?: string, signal?: AbortSignal): Promise<EmbeddedRedisLease> {
  const dir = embeddedRedisDir(dataDir);
  const recordFile = join(dir, 'server.json');
  const running = readRecord(recordFile);
  if (running && isAlive(running.pid) && (await answersPing(running.port))) {
    return { url: `redis://127.0.0.1:${running.port}`, owned: false, release: async () => undefined };
  }
  mkdirSync(dir, { recursive: true });
  const server = new RedisServerProcess(executable);
  const info = await server.start({ dataDir: dir, persistence: 'aof' }, signal);
  writeFileSync(recordFile, JSON.stringify({ port: info.port, pid: info.pid } satisfies ServerRecord));
  return {
    url: info.url,
    owned: true,
    server,
    release: async () => {
      await server.stop();
      if (readRecord(recordFile)?.pid === info.pid) rmSync(recordFile, { force: true });
    },
  };
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

/** A recorded pid may have been reused by another program: only a Redis that answers PING counts. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
