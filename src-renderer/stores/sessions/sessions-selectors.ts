// Selectors over the sessions store: components subscribe to the narrowest slice they draw.
import type { SessionInfo } from '../../../src-preload/contract/sessions';
import { emptyOutputWindow } from './output-window';
import type { SessionsState } from './sessions-store';

export const selectActiveId = (state: SessionsState) => state.activeId;

export const selectActiveSession = (state: SessionsState): SessionInfo | null =>
  state.activeId ? (state.infos[state.activeId] ?? null) : null;

/** Sessions in creation order (stable as states change). */
export function selectSessionList(state: SessionsState): SessionInfo[] {
  return Object.values(state.infos).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

export const selectOutput = (id: string) => (state: SessionsState) => state.outputs[id] ?? emptyOutputWindow;

export const selectReplPending = (id: string) => (state: SessionsState) => state.replPending[id] ?? false;

export const selectHistory = (id: string) => (state: SessionsState) => state.history[id] ?? noHistory;
const noHistory: readonly string[] = [];

/** A session that can take code: not dead and not still starting. */
export function canRun(info: SessionInfo | null | undefined): boolean {
  return !!info && (info.state === 'idle' || info.state === 'busy' || info.state === 'detached');
}
