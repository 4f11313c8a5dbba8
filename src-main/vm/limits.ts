// Default limits and capabilities of a VM, and how per-VM and per-call overrides combine.
import { VMManagerError } from './errors';
import type { VMCapabilities, VMLimits } from './types';

export const DEFAULT_LIMITS: Readonly<VMLimits> = Object.freeze({
  instructionQuota: 1_000_000_000,
  memoryMb: 256,
  timeoutMs: 60_000,
  outputBytes: 4 * 1024 * 1024,
});

export const DEFAULT_CAPABILITIES: Readonly<VMCapabilities> = Object.freeze({
  networked: false,
  remoteNetwork: false,
  fs: false,
  olfi: true,
  metrics: false,
  native: false,
});

const LIMIT_KEYS = Object.keys(DEFAULT_LIMITS) as (keyof VMLimits)[];

export function mergeLimits(base: VMLimits, override: Partial<VMLimits> | undefined): VMLimits {
  const merged = { ...base };
  for (const key of LIMIT_KEYS) {
    const value = override?.[key];
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value < 0) {
      throw new VMManagerError(`limit ${key} must be a number ≥ 0 (got ${String(value)})`);
    }
    merged[key] = Math.floor(value);
  }
  if (merged.outputBytes < 1) throw new VMManagerError('limit outputBytes must be at least 1 byte');
  return merged;
}

export function mergeCapabilities(base: VMCapabilities, override: Partial<VMCapabilities> | undefined, networked?: boolean): VMCapabilities {
  const merged = { ...base, ...override };
  if (networked !== undefined) merged.networked = networked || merged.networked;
  return merged;
}

export function describeLimit(limit: keyof VMLimits, value: number): string {
  const units: Record<keyof VMLimits, string> = { instructionQuota: 'instructions', memoryMb: 'MiB', timeoutMs: 'ms', outputBytes: 'bytes' };
  return `${limit} = ${value} ${units[limit]}`;
}
