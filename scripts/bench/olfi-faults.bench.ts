// Ol-Fi under Redis faults, with the real redis-server and the Ol-Fi service:
//   olfi_not_responding_detect_ms   SIGSTOP of redis-server → the status says not-responding (median of 3; goal ≤ 5,000)
//   olfi_responding_again_ms        SIGCONT → connected again (median of 3)
//   olfi_embedded_restart_ms        SHUTDOWN NOSAVE of the embedded server → restarted on the same port (notice shown)
//   olfi_embedded_restart_resume_ms SHUTDOWN NOSAVE → an entry XADDed after it is in the mirror
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { OlFiService } from '../../src-main/olfi/olfi-service';
import { shutdownNoSave } from '../../src-main/olfi/test-redis';
import { waitFor } from '../../src-main/testing/test-helpers';
import { RedisServerProcess } from '../../src-main/redis/redis-server-process';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function connected(service: OlFiService): Promise<void> {
  await waitFor('the mirror connected', () => service.status().mirror?.state === 'connected' && service.status().mirror?.lastId !== '', 60_000);
}

async function stopAndContinue(dir: string): Promise<{ detectMs: number; againMs: number }> {
  const server = new RedisServerProcess();
  const { url, pid } = await server.start({ dataDir: join(dir, 'paused'), persistence: 'none' });
  const service = new OlFiService({ dataDir: join(dir, 'paused-data'), redisUrl: () => url });
  const detect: number[] = [];
  const again: number[] = [];
  try {
    await service.start();
    await connected(service);
    for (let round = 0; round < 3; round++) {
      const stopped = performance.now();
      process.kill(pid, 'SIGSTOP');
      try {
        await waitFor('not-responding', () => service.status().mirror?.state === 'not-responding', 60_000);
        detect.push(performance.now() - stopped);
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      const resumed = performance.now();
      await waitFor('connected again', () => service.status().mirror?.state === 'connected', 60_000);
      again.push(performance.now() - resumed);
    }
  } finally {
    await service.dispose();
    await server.stop();
  }
  return { detectMs: median(detect), againMs: median(again) };
}

async function shutdownAndRestart(dir: string): Promise<{ restartMs: number; resumeMs: number }> {
  const service = new OlFiService({ dataDir: join(dir, 'embedded-data'), redisUrl: () => null });
  const seen = new Set<string>();
  service.on('update', (update) => update.entries.forEach((entry) => seen.add(entry.id)));
  let client: Redis | undefined;
  try {
    await service.start();
    await connected(service);
    const url = service.clientUrl()!;
    client = new Redis(url, { maxRetriesPerRequest: null, retryStrategy: () => 20 });
    client.on('error', () => undefined);
    const shutdownAt = performance.now();
    await shutdownNoSave(url);
    await waitFor('the restart notice', () => /restarted/.test(service.status().notice ?? ''), 60_000);
    const restartMs = performance.now() - shutdownAt;
    const id = String(await client.call('XADD', 'olfi_stream', '*', 'mvoc', 'ACETOIN', 'frame', '{}'));
    await waitFor('the entry after the restart', () => seen.has(id), 60_000);
    return { restartMs, resumeMs: performance.now() - shutdownAt };
  } finally {
    client?.disconnect();
    await service.dispose();
  }
}

export async function bench(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'bioxen-olfi-faults-bench-'));
  try {
    const paused = await stopAndContinue(dir);
    const restarted = await shutdownAndRestart(dir);
    return {
      olfi_not_responding_detect_ms: Math.round(paused.detectMs),
      olfi_responding_again_ms: Math.round(paused.againMs),
      olfi_embedded_restart_ms: Math.round(restarted.restartMs),
      olfi_embedded_restart_resume_ms: Math.round(restarted.resumeMs),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
