// Values domain store: which value-tree nodes are open and the pages fetched for them, for the
// console's returned values and the variable inspector. A node is a position in a tree (its id is
// the path from its root), so the same table open in two places is two nodes. Only what the user
// opened is here: a page per click, never a whole table or a whole long string.
import { createStore } from 'zustand/vanilla';
import type { ValuePreview } from '../../../src-preload/contract/value-preview';
import type { ChildrenPage } from '../../../src-preload/contract/values';
import { BridgeError, errorMessage, type BridgeClient } from '../../bridge';

export const CHILDREN_PAGE = 100;
export const STRING_PAGE = 64 * 1024;

export interface NodeState {
  open: boolean;
  loading: boolean;
  /** Entries fetched so far, in listing order. */
  items: ChildrenPage['items'];
  total?: number;
  next?: number;
  /** Long strings: the bytes fetched so far. */
  text?: string;
  error?: string;
  /** The ref names nothing any more: the session ran again and dropped the value, or restarted. */
  gone?: boolean;
}

export interface ValuesState {
  nodes: Record<string, NodeState>;
}

export interface ValuesActions {
  /** Opens (fetching the first page once) or closes the node. */
  toggle(sessionId: string, nodeId: string, value: ValuePreview): Promise<void>;
  /** Fetches the next page of an open node. */
  more(sessionId: string, nodeId: string, value: ValuePreview): Promise<void>;
  /** Forgets every node under a root prefix (the inspector's, when it refreshes). */
  forget(prefix: string): void;
}

export type ValuesStore = ValuesState & ValuesActions;

const closed: NodeState = { open: false, loading: false, items: [] };

export function createValuesStore(client: BridgeClient) {
  return createStore<ValuesStore>()((set, get) => {
    const patch = (nodeId: string, change: Partial<NodeState>) =>
      set((state) => ({ nodes: { ...state.nodes, [nodeId]: { ...(state.nodes[nodeId] ?? closed), ...change } } }));

    async function load(sessionId: string, nodeId: string, value: ValuePreview) {
      const node = get().nodes[nodeId] ?? closed;
      if (node.loading || value.ref === undefined) return;
      patch(nodeId, { loading: true, error: undefined });
      try {
        if (value.type === 'string') {
          const start = node.next ?? 1;
          const page = await client.invoke('values:string', { id: sessionId, ref: value.ref, start, count: STRING_PAGE });
          const current = get().nodes[nodeId] ?? closed;
          patch(nodeId, { loading: false, text: (current.text ?? '') + page.text, total: page.total, next: page.next });
        } else {
          const start = node.next ?? 1;
          const page = await client.invoke('values:children', { id: sessionId, ref: value.ref, start, count: CHILDREN_PAGE });
          const current = get().nodes[nodeId] ?? closed;
          patch(nodeId, { loading: false, items: [...current.items, ...page.items], total: page.total, next: page.next });
        }
      } catch (error) {
        const gone = error instanceof BridgeError && error.code === 'not_found';
        patch(nodeId, { loading: false, gone, error: gone ? 'This value is gone (the session ran again or restarted) — re-run to expand it' : errorMessage(error) });
      }
    }

    return {
      nodes: {},
      async toggle(sessionId, nodeId, value) {
        const node = get().nodes[nodeId] ?? closed;
        patch(nodeId, { open: !node.open });
        const fetched = node.total !== undefined || node.gone;
        if (!node.open && !fetched) await load(sessionId, nodeId, value);
      },
      more: load,
      forget(prefix) {
        set((state) => ({ nodes: Object.fromEntries(Object.entries(state.nodes).filter(([id]) => !id.startsWith(prefix))) }));
      },
    };
  });
}
