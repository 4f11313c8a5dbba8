// Configured Redis URLs as issue 5 promises them, against a real redis-server: an ACL user with a password that
// needs URL-encoding, a database other than 0, and rediss:// to a TLS listener whose certificate a throwaway CA signed.
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricsStreamPublisher } from '../metrics/metrics-stream-publisher';
import { buildFrame } from '../olfi/frame-codec';
import { OlFiMirror } from '../olfi/olfi-mirror';
import { OlFiPublishError, OlFiPublisher } from '../olfi/olfi-publisher';
import type { OlFiEntry } from '../olfi/stream-entry';
import { TestRedis } from '../olfi/test-redis';
import { waitFor } from '../testing/test-helpers';
import { freePort } from './redis-server-process';
import { makeTlsTestCerts, redisTlsArgs, type TlsTestCerts } from './tls-test-certs';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/bioxen.mjs');

const USER = 'bioxen';
// '@', ':' and '/' all break a URL unless percent-encoded, which is what a user has to do.
const PASSWORD = 'p@ss:w/rd';
const WRONG_PASSWORD = 'wr0ng-s3cret';
// The default user is disabled, so nothing works without the credentials.
const ACL_ARGS = ['--user', USER, 'on', `>${PASSWORD}`, '~*', '&*', '+@all', '--user', 'default', 'off'];

const env = new TestRedis();
let port: number;
let tlsPort: number;
let certs: TlsTestCerts;

function url(options: { scheme?: 'redis' | 'rediss'; host?: string; password?: string; db?: number } = {}): string {
  const { scheme = 'redis', host = '127.0.0.1', password = PASSWORD, db = 3 } = options;
  return `${scheme}://${USER}:${encodeURIComponent(password)}@${host}:${scheme === 'rediss' ? tlsPort : port}/${db}`;
}

function frame(payload: string): string {
  return JSON.stringify(buildFrame({ address: 'CELL_0002', source: 'CELL_0001', type: 'STATUS', payload }));
}

function secretsIn(text: string): string[] {
  return [PASSWORD, encodeURIComponent(PASSWORD), WRONG_PASSWORD].filter((secret) => text.includes(secret));
}

beforeAll(async () => {
  certs = makeTlsTestCerts(env.tempDir());
  tlsPort = await freePort();
  ({ port } = await env.server({ extraArgs: [...ACL_ARGS, ...redisTlsArgs(certs, tlsPort)] }));
}, 60_000);

afterAll(() => env.cleanup());

describe('redis:// with an ACL user, an encoded password and db 3', () => {
  it('publishes, mirrors, pages history and keeps everything in db 3', async () => {
    const target = url();
    const publisher = new OlFiPublisher(env.client(target), { url: target, streamKey: 'acl_stream' });
    const mirror = new OlFiMirror({ url: target, streamKey: 'acl_stream', blockMs: 500, batchMs: 10 });
    const seen: OlFiEntry[] = [];
    mirror.on('update', (u) => seen.push(...u.entries));
    try {
      mirror.start();
      await waitFor('the mirror to connect with the ACL user', () => mirror.status.state === 'connected' && mirror.status.lastId !== '');
      const first = await publisher.publish('ACETOIN', frame('first'));
      const second = await publisher.publish('ACETOIN', frame('second'));
      await waitFor('both frames mirrored', () => seen.length >= 2);

      expect(seen.map((e) => [e.id, e.status, e.mvoc, e.frame?.payload])).toEqual([
        [first.id, 'valid', 'ACETOIN', 'first'],
        [second.id, 'valid', 'ACETOIN', 'second'],
      ]);
      // stats() tolerates a command connection still starting; history() fails fast, so it goes second.
      await waitFor('the stream length over the command connection', async () => (await mirror.stats()).streamLength === 2);
      expect((await mirror.history(second.id, 10)).map((e) => [e.id, e.frame?.payload])).toEqual([[first.id, 'first']]);
      expect(mirror.status.url).toBe(`redis://${USER}:***@127.0.0.1:${port}/3`);

      expect(await env.client(url({ db: 3 })).xlen('acl_stream')).toBe(2);
      expect(await env.client(url({ db: 0 })).exists('acl_stream')).toBe(0);
    } finally {
      await mirror.stop();
    }
  });

  it('refuses a wrong password with a clear reason that never shows a password', async () => {
    const target = url({ password: WRONG_PASSWORD });
    const mirror = new OlFiMirror({ url: target, streamKey: 'acl_stream', blockMs: 500 });
    const reasons: string[] = [];
    mirror.on('status', (s) => reasons.push(`${s.state} ${s.url} ${s.reason ?? ''}`));
    try {
      mirror.start();
      await waitFor('the mirror to report refused credentials', () => /refused the credentials/.test(mirror.status.reason ?? ''));
      expect(mirror.status).toMatchObject({
        state: 'error',
        url: `redis://${USER}:***@127.0.0.1:${port}/3`,
        reason: `Redis at redis://${USER}:***@127.0.0.1:${port}/3 refused the credentials — check the user and password in the Redis URL`,
      });
      await expect(mirror.history('0-1', 5)).rejects.toThrow(`Redis did not answer: ${mirror.status.reason}`);
    } finally {
      await mirror.stop();
    }
    expect(reasons.filter((r) => secretsIn(r).length > 0)).toEqual([]);

    const publisher = new OlFiPublisher(env.client(target), { url: target, streamKey: 'acl_stream' });
    const failure = await publisher.publish('ACETOIN', frame('nope')).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(OlFiPublishError);
    expect((failure as OlFiPublishError).message).toMatch(/refused the credentials/);
    expect(secretsIn((failure as OlFiPublishError).message)).toEqual([]);
  });
});

describe('the wrong scheme for the port', () => {
  it('rediss:// to the plain port says to use redis:// once the TLS handshake goes unanswered', async () => {
    const target = `rediss://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/3`;
    const mirror = new OlFiMirror({ url: target, streamKey: 'acl_stream', blockMs: 500 });
    try {
      mirror.start();
      await waitFor('the mirror to suggest redis://', () => /use redis:\/\//.test(mirror.status.reason ?? ''), 15_000);
      expect(mirror.status.reason).toContain(`127.0.0.1:${port} (no TLS handshake in 3 s — if this server does not use TLS, use redis:// instead of rediss://)`);
    } finally {
      await mirror.stop();
    }
  });

  it('redis:// to the TLS port says to use rediss://', async () => {
    const target = `redis://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${tlsPort}/3`;
    const mirror = new OlFiMirror({ url: target, streamKey: 'acl_stream', blockMs: 500 });
    try {
      mirror.start();
      await waitFor('the mirror to suggest rediss://', () => /use rediss:\/\//.test(mirror.status.reason ?? ''));
      expect(mirror.status.reason).toContain(`127.0.0.1:${tlsPort} reset the connection at the first command — if this server expects TLS, use rediss:// instead of redis://`);
      expect(secretsIn(mirror.status.reason ?? '')).toEqual([]);
    } finally {
      await mirror.stop();
    }
  });
});

describe('the hypervisor metrics republisher with the user/password/db URL', () => {
  const sample = { vm: 'cell-01', t: 1.5, atp: 2.5, geneExpression: { lacZ: 0.4 }, series: {}, receivedAt: Date.now() };

  it('writes samples to the stream in db 3', async () => {
    const publisher = new MetricsStreamPublisher({ url: url(), stream: 'acl_metrics' });
    try {
      publisher.publish(sample);
      await waitFor('the sample to be published', () => publisher.stats().published === 1);
      const entries = await env.client(url({ db: 3 })).xrange('acl_metrics', '-', '+');
      expect(entries.map(([, fields]) => fields.slice(0, 4))).toEqual([['vm', 'cell-01', 't', '1.5']]);
      expect(await env.client(url({ db: 0 })).exists('acl_metrics')).toBe(0);
    } finally {
      await publisher.dispose();
    }
  });

  it('reports refused credentials without the password', async () => {
    const publisher = new MetricsStreamPublisher({ url: url({ password: WRONG_PASSWORD }), stream: 'acl_metrics' });
    try {
      publisher.publish(sample);
      await waitFor('the refusal to show in the stats', () => /WRONGPASS/.test(publisher.stats().lastError ?? ''));
      expect(publisher.stats()).toMatchObject({ connected: false, published: 0 });
      expect(secretsIn(publisher.stats().lastError!)).toEqual([]);
    } finally {
      await publisher.dispose();
    }
  });
});

describe('rediss:// to the TLS listener, through the CLI (NODE_EXTRA_CA_CERTS is read only at process start)', () => {
  const cli = (args: string[], trustCa: boolean, host = '127.0.0.1') =>
    run(process.execPath, [BIN, 'olfi', ...args, '--redis', url({ scheme: 'rediss', host }), '--stream', 'tls_stream'], {
      timeout: 60_000,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: trustCa ? certs.caCert : '' },
    });

  // The certificate names both: 127.0.0.1 is checked as an IP (no SNI), localhost as a host name sent by SNI.
  it('publishes (to 127.0.0.1) and tails (from localhost) a frame when the CA is trusted', async () => {
    const published = await cli(['publish', '--mvoc', 'ACETOIN', '--payload', 'over tls', '--type', 'STATUS'], true);
    const id = /^(\d+-\d+) ACETOIN → tls_stream on rediss:\/\/bioxen:\*\*\*@127\.0\.0\.1:\d+\/3 \(valid\)$/m.exec(published.stdout)?.[1];
    expect(id, published.stdout).toBeDefined();

    const tailed = await cli(['tail', '--json', '--count', '1', '--from', '0-0'], true, 'localhost');
    const entry = JSON.parse(tailed.stdout.trim()) as OlFiEntry;
    expect(entry).toMatchObject({ id, mvoc: 'ACETOIN', status: 'valid', frame: { payload: 'over tls' } });
    expect(tailed.stderr).toBe('');
    expect(await env.client(url({ db: 3 })).xlen('tls_stream')).toBe(1);
  }, 60_000);

  it('publish fails with a certificate message, not a stack trace, when the CA is not trusted', async () => {
    const failure = (await cli(['publish', '--mvoc', 'ACETOIN', '--payload', 'untrusted'], false).catch((err: unknown) => err)) as {
      code: number;
      stderr: string;
    };
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(/TLS certificate not trusted — set NODE_EXTRA_CA_CERTS to your CA file/);
    expect(failure.stderr).not.toMatch(/^\s+at /m);
    expect(secretsIn(failure.stderr)).toEqual([]);
  }, 60_000);

  it('tail reports the untrusted certificate and stops cleanly on SIGINT', async () => {
    const child = spawn(process.execPath, [BIN, 'olfi', 'tail', '--redis', url({ scheme: 'rediss' }), '--stream', 'tls_stream'], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await waitFor('tail to report the certificate', () => /TLS certificate not trusted/.test(stderr));
      expect(stderr).toMatch(/^olfi tail: \w+: TLS certificate not trusted — set NODE_EXTRA_CA_CERTS to your CA file \(rediss:\/\/bioxen:\*\*\*@/m);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(secretsIn(stderr)).toEqual([]);
  }, 60_000);
});
