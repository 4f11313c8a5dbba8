// The limit fields of the New session dialog, as typed by a person.

export interface LimitFields {
  instructionQuota: string;
  memoryMb: string;
  timeoutMs: string;
}

/** Empty means "use the default"; anything else must be a whole number ≥ 0. */
export function parseLimits(fields: LimitFields): { limits: Partial<Record<keyof LimitFields, number>>; problem: string | null } {
  const limits: Partial<Record<keyof LimitFields, number>> = {};
  for (const [key, raw] of Object.entries(fields) as [keyof LimitFields, string][]) {
    if (!raw.trim()) continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) return { limits, problem: `${key} must be a whole number ≥ 0 (or empty for the default)` };
    limits[key] = value;
  }
  return { limits, problem: null };
}
