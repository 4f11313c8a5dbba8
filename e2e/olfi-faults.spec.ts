// The Ol-Fi panel when the workbench's embedded Redis misbehaves, as a user sees it: a stopped server
// (SIGSTOP) shows "not-responding" and comes back; a SHUTDOWN is followed by a restart the panel reports, and
// frames published afterwards still appear. Another local user's client without the secret is refused.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { openWorkbench, test, expect } from './fixtures/workbench-host';
import { openView } from './fixtures/workbench-user';

function embeddedRedis(dataDir: string): { pid: number; port: number; url: string } {
  const { pid, port } = JSON.parse(readFileSync(join(dataDir, 'redis', 'server.json'), 'utf8')) as { pid: number; port: number };
  const secret = readFileSync(join(dataDir, 'redis', 'secret'), 'utf8').trim();
  return { pid, port, url: `redis://:${secret}@127.0.0.1:${port}` };
}

/** The first reply to a PING from a client that has no secret. */
function pingWithoutSecret(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
    let reply = '';
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) socket.end();
    });
    socket.on('close', () => resolve(reply.trim()));
    socket.on('error', (err) => resolve(err.message));
  });
}

test('embedded Redis faults: not-responding while stopped, restarted after SHUTDOWN, refused without the secret', async ({ page, host }) => {
  test.setTimeout(120_000);
  await openWorkbench(page, host);
  await openView(page, 'Ol-Fi');
  const connection = page.getByRole('status', { name: 'Ol-Fi connection' });
  await expect(connection).toContainText('connected', { timeout: 30_000 });
  const redis = embeddedRedis(host.dataDir);
  expect(await pingWithoutSecret(redis.port)).toMatch(/^-NOAUTH/);
  await expect(connection).not.toContainText(new URL(redis.url).password);

  process.kill(redis.pid, 'SIGSTOP');
  try {
    await expect(connection).toContainText('not-responding', { timeout: 20_000 });
    await expect(connection).toContainText('is redis-server stopped (SIGSTOP');
  } finally {
    process.kill(redis.pid, 'SIGCONT');
  }
  await expect(connection).not.toContainText('not-responding', { timeout: 20_000 });

  const shutdown = new Redis(redis.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  shutdown.on('error', () => undefined);
  await shutdown.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
  shutdown.disconnect();
  await expect(connection).toContainText(/embedded Redis stopped \(.*SHUTDOWN\?\)\) — restarted at/, { timeout: 30_000 });

  const client = new Redis(redis.url, { maxRetriesPerRequest: null, retryStrategy: () => 100 });
  client.on('error', () => undefined);
  try {
    await client.call('XADD', 'olfi_stream', '*', 'mvoc', 'ACETOIN', 'frame', JSON.stringify({ preamble: ['ACETOIN', 'ACETOIN'], address: 'CELL_0002', control: { type: 'STATUS', sequence: 1, priority: 'normal' }, payload: 'after-restart', checksum: 0, terminator: ['ACETOIN', 'ACETOIN'] }));
  } finally {
    client.disconnect();
  }
  const frames = page.getByRole('list', { name: 'Ol-Fi frames' });
  await expect(frames).toContainText('after-restart', { timeout: 20_000 });
  await expect(connection).toContainText('connected');
});
