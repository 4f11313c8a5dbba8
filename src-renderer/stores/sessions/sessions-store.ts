// Sessions domain store: a cache of the main side's sessions and their output windows, hydrated
// from `sessions:list` on every (re)connection and kept fresh by `sessions:changed` / `sessions:output`.
import { createStore } from 'zustand/vanilla';
import type { EventPayload, MethodInput, MethodOutput } from '../../../src-preload/contract';
import type { SessionInfo } from '../../../src-preload/contract/sessions';
import type { BridgeClient, ConnectionStatus } from '../../bridge';
import { reported } from '../store-errors';
import { appendChunks, clearWindow, emptyOutputWindow, hydrateWindow, rewindTo, type OutputWindow } from './output-window';

export const HISTORY_LIMIT = 200;
export const HYDRATE_CHUNKS = 2000;

export type CreateSessionInput = MethodInput<'sessions:create'>;
export type ExecResult = MethodOutput<'sessions:run'>;

export interface SessionsState {
  connection: ConnectionStatus;
  hydrated: boolean;
  infos: Record<string, SessionInfo>;
  activeId: string | null;
  outputs: Record<string, OutputWindow>;
  /** The REPL is waiting for the rest of a multi-line chunk. */
  replPending: Record<string, boolean>;
  /** Console input history per session, newest last, at most HISTORY_LIMIT lines. */
  history: Record<string, readonly string[]>;
  /** The last failed action, shown in a banner until dismissed. */
  lastError: string | null;
  /** The New session dialog is open (from the sidebar button or the application menu). */
  createDialogOpen: boolean;
}

export interface SessionsActions {
  connect(): () => void;
  hydrate(): Promise<void>;
  create(input: CreateSessionInput): Promise<SessionInfo | null>;
  setActive(id: string | null): void;
  attach(id: string): Promise<void>;
  detach(id: string): Promise<void>;
  interrupt(id: string): Promise<void>;
  restart(id: string): Promise<void>;
  terminate(id: string): Promise<void>;
  sendInput(id: string, line: string): Promise<void>;
  run(id: string, code: string, chunkName: string): Promise<ExecResult | null>;
  clearOutput(id: string): void;
  applyChanged(payload: EventPayload<'sessions:changed'>): void;
  applyOutput(payload: EventPayload<'sessions:output'>): void;
  dismissError(): void;
  setCreateDialogOpen(open: boolean): void;
}

export type SessionsStore = SessionsState & SessionsActions;

export const initialSessionsState: SessionsState = {
  connection: 'connecting',
  hydrated: false,
  infos: {},
  activeId: null,
  outputs: {},
  replPending: {},
  history: {},
  lastError: null,
  createDialogOpen: false,
};

export function createSessionsStore(client: BridgeClient) {
  return createStore<SessionsStore>()((set, get) => {
    /** Runs a service call; a failure becomes the banner message instead of an unhandled rejection. */
    const attempt = <T,>(what: string, call: () => Promise<T>) => reported(what, call, (lastError) => set({ lastError }));

    function putInfo(info: SessionInfo) {
      set((state) => ({
        infos: { ...state.infos, [info.id]: info },
        outputs: state.outputs[info.id] ? state.outputs : { ...state.outputs, [info.id]: emptyOutputWindow },
      }));
    }

    async function fillGap(id: string, from: number) {
      const page = await attempt('reading output', () => client.invoke('sessions:output', { id, since: from, limit: HYDRATE_CHUNKS }));
      if (!page) return;
      set((state) => {
        const current = state.outputs[id];
        if (!current) return {};
        return { outputs: { ...state.outputs, [id]: appendChunks(rewindTo(current, from), page.chunks) } };
      });
    }

    return {
      ...initialSessionsState,

      connect() {
        const unsubscribers = [
          client.on('sessions:changed', (payload) => get().applyChanged(payload)),
          client.on('sessions:output', (payload) => get().applyOutput(payload)),
          client.onStatus((connection) => {
            set({ connection });
            if (connection === 'open') void get().hydrate();
          }),
        ];
        return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
      },

      async hydrate() {
        const listing = await attempt('loading sessions', () => client.invoke('sessions:list', { recentChunks: HYDRATE_CHUNKS }));
        if (!listing) return;
        set((state) => {
          const infos: Record<string, SessionInfo> = {};
          const outputs: Record<string, OutputWindow> = {};
          for (const { info, output } of listing.sessions) {
            infos[info.id] = info;
            outputs[info.id] = hydrateWindow(state.outputs[info.id] ?? emptyOutputWindow, output.chunks, output.nextSeq);
          }
          const activeId = state.activeId && infos[state.activeId] ? state.activeId : (listing.sessions[0]?.info.id ?? null);
          return { infos, outputs, activeId, hydrated: true };
        });
      },

      async create(input) {
        const info = await attempt('creating the session', () => client.invoke('sessions:create', input));
        if (info) {
          putInfo(info);
          set({ activeId: info.id });
        }
        return info;
      },

      setActive(id) {
        set({ activeId: id });
      },

      async attach(id) {
        const snapshot = await attempt(`attaching to ${id}`, () => client.invoke('sessions:attach', { id, since: 0 }));
        if (!snapshot) return;
        putInfo(snapshot.info);
        set((state) => ({
          outputs: { ...state.outputs, [id]: hydrateWindow(state.outputs[id] ?? emptyOutputWindow, snapshot.output.chunks, snapshot.output.nextSeq) },
        }));
      },

      async detach(id) {
        const info = await attempt(`detaching from ${id}`, () => client.invoke('sessions:detach', { id }));
        if (info) putInfo(info);
      },

      async interrupt(id) {
        const info = await attempt(`interrupting ${id}`, () => client.invoke('sessions:interrupt', { id }));
        if (info) {
          putInfo(info);
          set((state) => ({ replPending: { ...state.replPending, [id]: false } }));
        }
      },

      async restart(id) {
        const info = await attempt(`restarting ${id}`, () => client.invoke('sessions:restart', { id }));
        if (info) {
          putInfo(info);
          set((state) => ({ replPending: { ...state.replPending, [id]: false } }));
        }
      },

      async terminate(id) {
        const done = await attempt(`terminating ${id}`, () => client.invoke('sessions:terminate', { id }));
        if (done) get().applyChanged({ id, info: null });
      },

      async sendInput(id, line) {
        set((state) => ({ history: { ...state.history, [id]: appendHistory(state.history[id] ?? [], line) } }));
        const reply = await attempt(`sending input to ${id}`, () => client.invoke('sessions:sendInput', { id, line }));
        if (reply) set((state) => ({ replPending: { ...state.replPending, [id]: reply.pending } }));
      },

      run(id, code, chunkName) {
        return attempt(`running ${chunkName}`, () => client.invoke('sessions:run', { id, code, chunkName }));
      },

      clearOutput(id) {
        set((state) => ({ outputs: { ...state.outputs, [id]: clearWindow(state.outputs[id] ?? emptyOutputWindow) } }));
      },

      applyChanged({ id, info }) {
        if (info) return putInfo(info);
        set((state) => {
          const infos = without(state.infos, id);
          const activeId = state.activeId === id ? (Object.keys(infos)[0] ?? null) : state.activeId;
          return { infos, activeId, outputs: without(state.outputs, id), replPending: without(state.replPending, id), history: without(state.history, id) };
        });
      },

      applyOutput({ id, chunks }) {
        const current = get().outputs[id];
        if (!current) return;
        const next = appendChunks(current, chunks);
        set((state) => ({ outputs: { ...state.outputs, [id]: next } }));
        if (next.gap) void fillGap(id, current.nextSeq);
      },

      dismissError() {
        set({ lastError: null });
      },

      setCreateDialogOpen(createDialogOpen) {
        set({ createDialogOpen });
      },
    };
  });
}

function without<T>(record: Record<string, T>, id: string): Record<string, T> {
  const { [id]: _dropped, ...rest } = record;
  return rest;
}

export function appendHistory(history: readonly string[], line: string): readonly string[] {
  if (!line.trim() || history[history.length - 1] === line) return history;
  const next = history.concat(line);
  return next.length > HISTORY_LIMIT ? next.slice(next.length - HISTORY_LIMIT) : next;
}

export type SessionsStoreApi = ReturnType<typeof createSessionsStore>;
