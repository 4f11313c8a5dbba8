// A P2P ring of networked Lua VMs (resources/examples/net-p2p-ring.lua) run through the engine:
// node i listens on basePort + i and sends heartbeats to node (i + 1) % size for `durationS`
// seconds of wall-clock time. Every VM is created here and terminated here, whatever happens.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findAppRoot } from '../app-root';
import type { VMManager } from '../vm/vm-manager';
import type { OutputStream } from '../vm/types';
import { EndpointError, isLoopback, USER_PORT_MAX, validateHost, validateUserPort } from '../metrics/endpoint';

export interface RingOptions {
  size: number;
  basePort: number;
  durationS: number;
  intervalS: number;
  host: string;
  /** Binding to a non-loopback address must be asked for. */
  allowRemote: boolean;
  /** VM ids are `<prefix>-<index>`. */
  idPrefix: string;
  templatePath: string;
}

export const RING_LIMITS = { maxSize: 64, maxDurationS: 3600, minIntervalS: 0.05, maxIntervalS: 60 } as const;

export const DEFAULT_RING_OPTIONS: Omit<RingOptions, 'templatePath'> = {
  size: 3,
  basePort: 9100,
  durationS: 10,
  intervalS: 1,
  host: '127.0.0.1',
  allowRemote: false,
  idPrefix: 'ring',
};

export interface RingNodeResult {
  vmId: string;
  index: number;
  listenPort: number;
  sent: number;
  received: number;
  /** Wall-clock time the node's run took in the host (includes VM scheduling). */
  elapsedMs: number;
  error?: string;
}

export class RingOptionsError extends Error {
  override readonly name = 'RingOptionsError';
  readonly code = 'invalid_input';
}

export function validateRingOptions(options: RingOptions): void {
  const { size, basePort, durationS, intervalS, host, allowRemote } = options;
  if (!Number.isInteger(size) || size < 1 || size > RING_LIMITS.maxSize) {
    throw new RingOptionsError(`--size ${size}: use a whole number of VMs from 1 to ${RING_LIMITS.maxSize}`);
  }
  validateUserPort(basePort, '--base-port');
  if (basePort + size - 1 > USER_PORT_MAX) {
    throw new RingOptionsError(`--base-port ${basePort} with --size ${size} would need ports up to ${basePort + size - 1}: use a base port of at most ${USER_PORT_MAX - size + 1}`);
  }
  if (!(durationS > 0 && durationS <= RING_LIMITS.maxDurationS)) {
    throw new RingOptionsError(`--duration ${durationS}: use seconds above 0 and at most ${RING_LIMITS.maxDurationS}`);
  }
  if (!(intervalS >= RING_LIMITS.minIntervalS && intervalS <= RING_LIMITS.maxIntervalS)) {
    throw new RingOptionsError(`--interval ${intervalS}: use seconds from ${RING_LIMITS.minIntervalS} to ${RING_LIMITS.maxIntervalS}`);
  }
  validateHost(host, '--host');
  if (!allowRemote && !isLoopback(host)) {
    throw new EndpointError(`--host ${host} is not loopback: ring VMs bind to 127.0.0.1 unless you pass --allow-remote`);
  }
}

/** The template with the node's settings assigned on its first line, so Lua line numbers stay true. */
export function ringNodeCode(template: string, options: RingOptions, index: number): string {
  const settings = [
    `index = ${index}`,
    `size = ${options.size}`,
    `base_port = ${options.basePort}`,
    `duration = ${options.durationS}`,
    `interval = ${options.intervalS}`,
    `host = ${JSON.stringify(options.host)}`,
    `allow_remote = ${options.allowRemote}`,
  ];
  return `NET = { ${settings.join(', ')} } ${template}`;
}

export function defaultRingTemplatePath(): string {
  return join(findAppRoot(), 'resources', 'examples', 'net-p2p-ring.lua');
}

export type RingOutputListener = (vmId: string, stream: OutputStream, text: string) => void;

export async function runP2PRing(vm: VMManager, partial: Partial<RingOptions>, onOutput?: RingOutputListener): Promise<RingNodeResult[]> {
  const options: RingOptions = { ...DEFAULT_RING_OPTIONS, templatePath: defaultRingTemplatePath(), ...partial };
  validateRingOptions(options);
  const template = await readFile(options.templatePath, 'utf8');
  const ids = Array.from({ length: options.size }, (_, i) => `${options.idPrefix}-${i}`);
  // Heartbeat loops run for the whole duration: give the watchdog room beyond it, and no quota.
  const limits = { timeoutMs: (options.durationS + 30) * 1000, instructionQuota: 0 };
  const created: string[] = [];
  try {
    for (const id of ids) {
      await vm.createVM(id, { networked: true, capabilities: { remoteNetwork: options.allowRemote }, limits });
      created.push(id);
    }
    return await Promise.all(ids.map((id, index) => runNode(vm, id, index, ringNodeCode(template, options, index), options, onOutput)));
  } finally {
    await Promise.all(created.map((id) => vm.terminateVMSession(id).catch(() => undefined)));
  }
}

async function runNode(vm: VMManager, vmId: string, index: number, code: string, options: RingOptions, onOutput?: RingOutputListener): Promise<RingNodeResult> {
  const started = Date.now();
  const handle = vm.executeVMAsync(vmId, code, { chunkName: `=${vmId}` });
  if (onOutput) handle.on('output', (stream, text) => onOutput(vmId, stream, text));
  const base = { vmId, index, listenPort: options.basePort + index };
  try {
    const result = await handle.promise;
    const elapsedMs = Date.now() - started;
    if (!result.success) return { ...base, sent: 0, received: 0, elapsedMs, error: result.error?.message ?? result.stderr };
    return { ...base, sent: Number(result.values[0]), received: Number(result.values[1]), elapsedMs };
  } catch (err) {
    return { ...base, sent: 0, received: 0, elapsedMs: Date.now() - started, error: err instanceof Error ? err.message : String(err) };
  }
}
