// The window's sessions store, bound to the window's bridge client.
import { useStore } from 'zustand';
import { bridge } from '../../bridge';
import { createSessionsStore, type SessionsStore } from './sessions-store';

export const sessionsStore = createSessionsStore(bridge());

export function useSessions<T>(selector: (state: SessionsStore) => T): T {
  return useStore(sessionsStore, selector);
}

export * from './sessions-selectors';
export type { CreateSessionInput, ExecResult, SessionsStore } from './sessions-store';
