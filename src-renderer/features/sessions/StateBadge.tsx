// The live state of a session as a coloured, readable badge.
import type { SessionState } from '../../../src-preload/contract/sessions';

export function StateBadge({ state }: { state: SessionState }) {
  return <span className={`state-badge state-${state}`} aria-label={`state ${state}`}>{state}</span>;
}

export function formatMemory(memoryKb: number | undefined): string {
  if (memoryKb === undefined) return '—';
  return memoryKb >= 1024 ? `${(memoryKb / 1024).toFixed(1)} MB` : `${Math.round(memoryKb)} KB`;
}
