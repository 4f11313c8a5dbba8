// Values domain store: which value-tree nodes are open and the pages fetched for them, for the
// console's returned values and the variable inspector. A node is a position in a tree (its id is
// the path from its root), so the same table open in two places is two nodes. Only what the user
// opened is here: a page per click, never a whole table or a whole long string. The Debug view's
// variables are trees here too, under DEBUG_ROOT.
import { createStore } from 'zustand/vanilla';
import type { ValuePreview } from '../../../src-preload/contract/value-preview';
import type { ChildrenPage } from '../../../src-preload/contract/values';
import { BridgeError, errorMessage, type BridgeClient } from '../../bridge';

export const CHILDREN_PAGE = 100;

/**
 * Node ids starting with this are a stopped debug run's values (`debug:<session>/…`, the Debug view's
 * variables): while stopped the runner answers only debugger commands, so their pages come through the
 * debug domain, and they are valid until the run goes on.
 */
export const DEBUG_ROOT = 'debug:';

/** A debug variable's name as the debugger writes it (`x`, `[1]`, `(*temporary)`) as the key its row shows. */
export function keyOfName(name: string): ValuePreview {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return { type: 'string', text: JSON.stringify(name) };
  const index = /^\[(.*)\]$/s.exec(name);
  if (index) return { type: 'index', text: index[1]! };
  return { type: 'name', text: name };
}
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
  /**
   * The trees under `prefix` have new roots (the inspector's, after a run): everything fetched
   * under it is dropped and what was open is opened again from the new roots, top down.
   */
  reopen(sessionId: string, prefix: string, roots: readonly { id: string; value: ValuePreview }[]): Promise<void>;
}

export type ValuesStore = ValuesState & ValuesActions;

const closed: NodeState = { open: false, loading: false, items: [] };

export function createValuesStore(client: BridgeClient) {
  return createStore<ValuesStore>()((set, get) => {
    const patch = (nodeId: string, change: Partial<NodeState>) =>
      set((state) => ({ nodes: { ...state.nodes, [nodeId]: { ...(state.nodes[nodeId] ?? closed), ...change } } }));

    /** The load each node waits for; reopen forgets them, so a page for an old root lands nowhere. */
    const inflight = new Map<string, object>();
    const reopens = new Map<string, number>();

    /** A page of a scope (negative ref) or a table of a stopped debug run, as children pages are. */
    async function debugPage(sessionId: string, ref: number, start: number): Promise<ChildrenPage> {
      const page = await client.invoke('debug:variables', { id: sessionId, ref, start, count: CHILDREN_PAGE });
      return { ...page, items: page.items.map(({ name, value }) => ({ key: keyOfName(name), value })) };
    }

    async function load(sessionId: string, nodeId: string, value: ValuePreview) {
      const node = get().nodes[nodeId] ?? closed;
      if (node.loading || value.ref === undefined) return;
      const token = {};
      inflight.set(nodeId, token);
      patch(nodeId, { loading: true, error: undefined });
      const start = node.next ?? 1;
      const debug = nodeId.startsWith(DEBUG_ROOT);
      try {
        if (value.type === 'string') {
          const page = await client.invoke(debug ? 'debug:string' : 'values:string', { id: sessionId, ref: value.ref, start, count: STRING_PAGE });
          if (inflight.get(nodeId) !== token) return;
          const now = get().nodes[nodeId] ?? closed;
          patch(nodeId, { loading: false, text: (now.text ?? '') + page.text, total: page.total, next: page.next });
        } else {
          const page = debug ? await debugPage(sessionId, value.ref, start) : await client.invoke('values:children', { id: sessionId, ref: value.ref, start, count: CHILDREN_PAGE });
          if (inflight.get(nodeId) !== token) return;
          const now = get().nodes[nodeId] ?? closed;
          patch(nodeId, { loading: false, items: [...now.items, ...page.items], total: page.total, next: page.next });
        }
      } catch (error) {
        if (inflight.get(nodeId) !== token) return;
        const gone = error instanceof BridgeError && error.code === 'not_found';
        patch(nodeId, { loading: false, gone, error: gone ? 'This value is gone (the session ran again or restarted) — re-run to expand it' : errorMessage(error) });
      } finally {
        if (inflight.get(nodeId) === token) inflight.delete(nodeId);
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
      async reopen(sessionId, prefix, roots) {
        const generation = (reopens.get(prefix) ?? 0) + 1;
        reopens.set(prefix, generation);
        const before = get().nodes;
        const wasOpen = new Set(Object.keys(before).filter((id) => id.startsWith(prefix) && before[id]!.open));
        for (const id of [...inflight.keys()]) if (id.startsWith(prefix)) inflight.delete(id);
        set((state) => ({
          nodes: {
            ...Object.fromEntries(Object.entries(state.nodes).filter(([id]) => !id.startsWith(prefix))),
            ...Object.fromEntries([...wasOpen].map((id) => [id, { ...closed, open: true }])),
          },
        }));
        const queue = roots.filter((root) => wasOpen.has(root.id));
        for (let next = queue.shift(); next; next = queue.shift()) {
          const { id, value } = next;
          await load(sessionId, id, value);
          // A newer reopen of the same trees took over.
          if (reopens.get(prefix) !== generation) return;
          get().nodes[id]?.items.forEach((item, i) => {
            if (wasOpen.has(`${id}/${i}`)) queue.push({ id: `${id}/${i}`, value: item.value });
          });
        }
      },
    };
  });
}
