// The variable inspector's store: one session's globals as the runner lists them (values:globals),
// the filter and the builtins toggle. Refreshed after each run or REPL line of that session; the
// open tree nodes under it live in the values store and are opened again from the new listing
// (their refs were the previous listing's).
import { createStore } from 'zustand/vanilla';
import type { GlobalEntry } from '../../../src-preload/contract/values';
import { errorMessage, type BridgeClient } from '../../bridge';
import type { ValuesStore } from '../../stores/values';
import type { StoreApi } from 'zustand/vanilla';

export interface InspectorState {
  sessionId: string | null;
  items: GlobalEntry[];
  /** Globals matching the filter, of which `items` holds the first MAX_GLOBALS. */
  total: number;
  filter: string;
  builtins: boolean;
  loading: boolean;
  error: string | null;
}

export interface InspectorActions {
  refresh(sessionId: string | null): Promise<void>;
  setFilter(filter: string): void;
  setBuiltins(builtins: boolean): void;
}

export type InspectorStore = InspectorState & InspectorActions;

/** The values-store prefix of a session's inspector trees. */
export const inspectorRoot = (sessionId: string) => `${sessionId}|g:`;

export function createInspectorStore(client: BridgeClient, values: StoreApi<ValuesStore>) {
  return createStore<InspectorStore>()((set, get) => {
    let serial = 0;
    return {
      sessionId: null,
      items: [],
      total: 0,
      filter: '',
      builtins: false,
      loading: false,
      error: null,
      async refresh(sessionId) {
        const mine = ++serial;
        if (!sessionId) return set({ sessionId: null, items: [], total: 0, loading: false, error: null });
        set({ sessionId, loading: true });
        const { filter, builtins } = get();
        try {
          const listing = await client.invoke('values:globals', { id: sessionId, builtins, filter });
          // A slower answer to an older request must not replace a newer one.
          if (mine !== serial) return;
          set({ items: listing.items, total: listing.total, loading: false, error: null });
          const root = inspectorRoot(sessionId);
          void values.getState().reopen(sessionId, root, listing.items.map((entry) => ({ id: root + entry.name, value: entry.value })));
        } catch (error) {
          if (mine === serial) set({ loading: false, error: `Could not list the globals of ${sessionId}: ${errorMessage(error)}` });
        }
      },
      setFilter(filter) {
        set({ filter });
        void get().refresh(get().sessionId);
      },
      setBuiltins(builtins) {
        set({ builtins });
        void get().refresh(get().sessionId);
      },
    };
  });
}
