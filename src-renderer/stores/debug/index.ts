// The window's debug store, bound to the window's bridge client and storage.
import { useStore } from 'zustand';
import { bridge } from '../../bridge';
import { createDebugStore, type DebugStore } from './debug-store';

export const debugStore = createDebugStore({ client: bridge(), storage: window.localStorage });

export function useDebug<T>(selector: (state: DebugStore) => T): T {
  return useStore(debugStore, selector);
}

export * from './debug-store';
export type { EditorBreakpoint, TextEdit } from './breakpoint-model';
