// Debug domain store: the breakpoints the user set (per script name, kept in the window's storage so
// they come back with the script, sent to the debug service whenever they change), the debugged runs
// and where each is stopped, the stopped run's stack and selected frame, and the watch expressions.
// Variables are value trees of the values store (fetched a page at a time), never here.
import { createStore } from 'zustand/vanilla';
import type { MethodOutput } from '../../../src-preload/contract';
import type { Breakpoint, DebugStop, ExceptionMode, StackFrame } from '../../../src-preload/contract/debug';
import type { ValuePreview } from '../../../src-preload/contract/value-preview';
import { errorMessage, type BridgeClient } from '../../bridge';
import {
  fitToLines,
  moveWithEdits,
  parseStored,
  removeBreakpoint,
  runnerSpecs,
  serialize,
  setBreakpointEnabled,
  setBreakpointOptions,
  storageKey,
  toggleBreakpoint,
  type BreakpointOptions,
  type EditorBreakpoint,
  type TextEdit,
} from './breakpoint-model';

const WATCHES_KEY = 'bioxen.debug.watches';
const MAX_WATCHES = 50;

export type ExecResult = MethodOutput<'debug:run'>;
export type Resume = 'continue' | 'next' | 'stepIn' | 'stepOut';
export type Scope = MethodOutput<'debug:scopes'>['scopes'][number];

export interface DebugRun {
  script: string;
  /** Present while the run is stopped. */
  stop?: DebugStop;
  /** The stopped run's stack (fetched once per stop). */
  frames?: StackFrame[];
  /** The frame the panel, the hover and the watches look at (a stack frame id). */
  frame: number;
  /** Counts the run's stops: what the panel shows is fetched afresh for each. */
  stops: number;
}

export interface WatchValue {
  value?: ValuePreview;
  error?: string;
}

export interface DebugState {
  /** The user's breakpoints per script name, in line order. */
  breakpoints: Record<string, readonly EditorBreakpoint[]>;
  /** What the service answered for each script's enabled breakpoints, by line. */
  verdicts: Record<string, Record<number, Breakpoint>>;
  /** Debugged runs by session id. */
  runs: Record<string, DebugRun>;
  watches: readonly string[];
  /** The watches' values in the stopped run's selected frame, by session id then expression. */
  watchValues: Record<string, Record<string, WatchValue>>;
  /** The breakpoint whose condition / hit count / log message dialog is open. */
  editing: { script: string; line: number } | null;
  /** Where runs stop at errors: none, uncaught ones, or all (also those pcall and xpcall catch). */
  exceptions: ExceptionMode;
  /** The last failed debug action, said in the Debug panel. */
  problem: string | null;
}

export interface DebugActions {
  connect(): () => void;
  /** The script is open in an editor: its kept breakpoints are read (once) and sent to the service. */
  loadScript(script: string, lineCount: number): void;
  toggle(script: string, line: number): void;
  setOptions(script: string, line: number, options: BreakpointOptions): void;
  setEnabled(script: string, line: number, enabled: boolean): void;
  remove(script: string, line: number): void;
  /** The script's text changed: breakpoints move with their lines. */
  applyEdits(script: string, edits: readonly TextEdit[]): void;
  editBreakpoint(target: { script: string; line: number } | null): void;
  run(sessionId: string, code: string, script: string): Promise<ExecResult | null>;
  resume(sessionId: string, how: Resume): Promise<void>;
  runTo(sessionId: string, script: string, line: number): Promise<void>;
  pause(sessionId: string): Promise<void>;
  /** Ends the run (an interrupt: it works while stopped too). */
  stop(sessionId: string): Promise<void>;
  selectFrame(sessionId: string, frame: number): void;
  addWatch(expression: string): void;
  removeWatch(expression: string): void;
  /** An expression's value in the stopped run's selected frame (hover, watches); throws what the runner said. */
  evaluate(sessionId: string, expression: string, context: 'watch' | 'hover' | 'repl'): Promise<ValuePreview>;
  /** The scopes of a frame of the stopped run (Locals, and Upvalues / Varargs when it has some). */
  scopes(sessionId: string, frame: number): Promise<Scope[]>;
  setExceptions(mode: ExceptionMode): Promise<void>;
  dismissProblem(): void;
}

export type DebugStore = DebugState & DebugActions;

export interface DebugDeps {
  client: BridgeClient;
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
}

function readWatches(storage: DebugDeps['storage']): string[] {
  try {
    const value: unknown = JSON.parse(storage?.getItem(WATCHES_KEY) ?? '[]');
    return Array.isArray(value) ? value.filter((w): w is string => typeof w === 'string' && w.length > 0).slice(0, MAX_WATCHES) : [];
  } catch {
    return [];
  }
}

/** The first frame of the stopped thread that is not a coroutine-boundary marker. */
export function topFrame(frames: readonly StackFrame[] | undefined): number {
  return frames?.find((f) => !f.boundary)?.id ?? 1;
}

export function createDebugStore({ client, storage }: DebugDeps) {
  return createStore<DebugStore>()((set, get) => {
    /** Runs a service call; a failure is said in the panel instead of an unhandled rejection. */
    async function attempt<T>(what: string, call: () => Promise<T>): Promise<T | null> {
      try {
        return await call();
      } catch (error) {
        set({ problem: `${what}: ${errorMessage(error)}` });
        return null;
      }
    }

    function persist(script: string, list: readonly EditorBreakpoint[]) {
      const text = serialize(list);
      try {
        if (text === null) storage?.removeItem(storageKey(script));
        else storage?.setItem(storageKey(script), text);
      } catch (error) {
        set({ problem: `Could not keep the breakpoints of ${script} (the window's storage refused: ${errorMessage(error)}); they last until the window closes` });
      }
    }

    // Sends in order, one at a time per script, so a late reply never replaces a newer list.
    const sending = new Map<string, Promise<void>>();
    function send(script: string) {
      const previous = sending.get(script) ?? Promise.resolve();
      const next = previous.then(async () => {
        const list = get().breakpoints[script] ?? [];
        const reply = await attempt(`Setting the breakpoints of ${script}`, () => client.invoke('debug:setBreakpoints', { script, breakpoints: runnerSpecs(list) }));
        if (!reply || get().breakpoints[script] !== list) return;
        set((state) => ({ verdicts: { ...state.verdicts, [script]: Object.fromEntries(reply.breakpoints.map((bp) => [bp.line, bp])) } }));
      });
      sending.set(script, next);
      void next.finally(() => {
        if (sending.get(script) === next) sending.delete(script);
      });
    }

    function change(script: string, update: (list: readonly EditorBreakpoint[]) => readonly EditorBreakpoint[]) {
      const current = get().breakpoints[script] ?? [];
      const next = update(current);
      if (next === current) return;
      set((state) => ({ breakpoints: { ...state.breakpoints, [script]: next } }));
      persist(script, next);
      send(script);
    }

    function patchRun(sessionId: string, patch: Partial<DebugRun>) {
      set((state) => {
        const run = state.runs[sessionId];
        return run ? { runs: { ...state.runs, [sessionId]: { ...run, ...patch } } } : {};
      });
    }

    async function refreshWatches(sessionId: string) {
      const run = get().runs[sessionId];
      if (!run?.stop) return;
      const stop = run.stop;
      const values: Record<string, WatchValue> = {};
      for (const expression of get().watches) {
        try {
          values[expression] = { value: await get().evaluate(sessionId, expression, 'watch') };
        } catch (error) {
          values[expression] = { error: errorMessage(error) };
        }
      }
      if (get().runs[sessionId]?.stop !== stop) return;
      set((state) => ({ watchValues: { ...state.watchValues, [sessionId]: values } }));
    }

    async function onStopped(sessionId: string, stop: DebugStop) {
      set((state) => {
        const run = state.runs[sessionId];
        return { runs: { ...state.runs, [sessionId]: { script: run?.script ?? stop.script, stop, frame: 1, stops: (run?.stops ?? 0) + 1 } } };
      });
      const reply = await attempt('Reading the stack', () => client.invoke('debug:stack', { id: sessionId }));
      if (!reply || get().runs[sessionId]?.stop !== stop) return;
      patchRun(sessionId, { frames: reply.frames, frame: topFrame(reply.frames) });
      await refreshWatches(sessionId);
    }

    function forgetRun(sessionId: string) {
      set((state) => {
        const { [sessionId]: _run, ...runs } = state.runs;
        const { [sessionId]: _values, ...watchValues } = state.watchValues;
        return { runs, watchValues };
      });
    }

    let chosenExceptions: ExceptionMode | null = null;
    async function hydrate() {
      // The service keeps breakpoints in memory only: after a restart it learns them again from here.
      for (const script of Object.keys(get().breakpoints)) send(script);
      const reply = await attempt('Loading the debugged runs', () => client.invoke('debug:runs', {}));
      if (!reply) return;
      const runs: Record<string, DebugRun> = {};
      for (const run of reply.runs) runs[run.id] = { script: run.script, frame: 1, stops: 0 };
      set({ runs });
      for (const run of reply.runs) if (run.stop) void onStopped(run.id, run.stop);
      // Once chosen here the exception mode is this window's (a restarted service learns it again);
      // until then it is the service's.
      const mode = chosenExceptions;
      if (mode) void attempt('Setting where runs stop at errors', () => client.invoke('debug:setExceptions', { mode }));
      else {
        const known = await attempt('Loading the exception mode', () => client.invoke('debug:breakpoints', {}));
        if (known && !chosenExceptions) set({ exceptions: known.exceptions });
      }
    }

    return {
      breakpoints: {},
      verdicts: {},
      runs: {},
      watches: readWatches(storage),
      watchValues: {},
      editing: null,
      exceptions: 'none',
      problem: null,

      connect() {
        const unsubscribers = [
          client.on('debug:stopped', ({ id, stop }) => void onStopped(id, stop)),
          client.on('debug:continued', ({ id }) => patchRun(id, { stop: undefined, frames: undefined })),
          client.on('debug:ended', ({ id }) => forgetRun(id)),
          client.onStatus((status) => {
            if (status === 'open') void hydrate();
          }),
        ];
        if (client.status === 'open') void hydrate();
        return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
      },

      loadScript(script, lineCount) {
        if (get().breakpoints[script]) return;
        let raw: string | null = null;
        try {
          raw = storage?.getItem(storageKey(script)) ?? null;
        } catch {
          // Storage disabled: the script starts without kept breakpoints.
        }
        const { breakpoints, dropped } = parseStored(raw);
        const fitted = fitToLines(breakpoints, lineCount);
        set((state) => ({ breakpoints: { ...state.breakpoints, [script]: fitted } }));
        const lost = dropped + breakpoints.length - fitted.length;
        if (lost > 0) {
          set({ problem: `${lost} kept breakpoint${lost === 1 ? '' : 's'} of ${script} could not be restored (unreadable, or past the end of the script) and ${lost === 1 ? 'was' : 'were'} dropped` });
          // Unreadable entries go for good; ones past the end stay kept until the list changes (the
          // text may be back: a file restored outside the workbench).
          if (dropped > 0) persist(script, breakpoints);
        }
        if (fitted.length) send(script);
      },

      toggle(script, line) {
        change(script, (list) => toggleBreakpoint(list, line));
      },
      setOptions(script, line, options) {
        change(script, (list) => setBreakpointOptions(list, line, options));
      },
      setEnabled(script, line, enabled) {
        change(script, (list) => setBreakpointEnabled(list, line, enabled));
      },
      remove(script, line) {
        change(script, (list) => removeBreakpoint(list, line));
      },
      applyEdits(script, edits) {
        change(script, (list) => moveWithEdits(list, edits));
      },
      editBreakpoint(editing) {
        set({ editing });
      },

      async run(sessionId, code, script) {
        if (get().runs[sessionId]) {
          await get().resume(sessionId, 'continue');
          return null;
        }
        set((state) => ({ runs: { ...state.runs, [sessionId]: { script, frame: 1, stops: 0 } }, problem: null }));
        // The service learns every kept breakpoint before the run starts with them.
        await Promise.all([...sending.values()]);
        try {
          return await attempt(`Debugging ${script}`, () => client.invoke('debug:run', { id: sessionId, code, script }));
        } finally {
          forgetRun(sessionId);
        }
      },

      async resume(sessionId, how) {
        if (!get().runs[sessionId]?.stop) return;
        await attempt('Resuming', () => client.invoke(`debug:${how}`, { id: sessionId }));
      },

      async runTo(sessionId, script, line) {
        if (!get().runs[sessionId]?.stop) return;
        await attempt('Running to the cursor', () => client.invoke('debug:runTo', { id: sessionId, script, line }));
      },

      async pause(sessionId) {
        const run = get().runs[sessionId];
        if (!run || run.stop) return;
        await attempt('Pausing', () => client.invoke('debug:pause', { id: sessionId }));
      },

      async stop(sessionId) {
        if (!get().runs[sessionId]) return;
        await attempt('Stopping the run', () => client.invoke('sessions:interrupt', { id: sessionId }));
      },

      selectFrame(sessionId, frame) {
        patchRun(sessionId, { frame });
        void refreshWatches(sessionId);
      },

      addWatch(expression) {
        const text = expression.trim();
        if (!text || get().watches.includes(text)) return;
        const watches = [...get().watches, text].slice(-MAX_WATCHES);
        set({ watches });
        storage?.setItem(WATCHES_KEY, JSON.stringify(watches));
        for (const sessionId of Object.keys(get().runs)) void refreshWatches(sessionId);
      },

      removeWatch(expression) {
        const watches = get().watches.filter((w) => w !== expression);
        set({ watches });
        storage?.setItem(WATCHES_KEY, JSON.stringify(watches));
      },

      async evaluate(sessionId, expression, context) {
        const run = get().runs[sessionId];
        if (!run?.stop) throw new Error('The run is not stopped');
        const { value } = await client.invoke('debug:evaluate', { id: sessionId, frameId: run.frame, expression, context });
        return value;
      },

      async scopes(sessionId, frame) {
        return (await client.invoke('debug:scopes', { id: sessionId, frameId: frame })).scopes;
      },

      async setExceptions(mode) {
        const previous = get().exceptions;
        chosenExceptions = mode;
        set({ exceptions: mode });
        if ((await attempt('Setting where runs stop at errors', () => client.invoke('debug:setExceptions', { mode }))) === null && chosenExceptions === mode) {
          chosenExceptions = previous;
          set({ exceptions: previous });
        }
      },

      dismissProblem() {
        set({ problem: null });
      },
    };
  });
}

export const selectRun = (sessionId: string | null) => (state: DebugState) => (sessionId ? state.runs[sessionId] : undefined);
export const selectScriptBreakpoints = (script: string | undefined) => (state: DebugState) => (script ? state.breakpoints[script] : undefined);
export const selectAllBreakpoints = (state: DebugState) => state.breakpoints;
export const selectVerdicts = (state: DebugState) => state.verdicts;
export const selectWatches = (state: DebugState) => state.watches;
export const selectEditing = (state: DebugState) => state.editing;
export const selectProblem = (state: DebugState) => state.problem;
export const selectExceptions = (state: DebugState) => state.exceptions;

/** The line a stopped run shows in an editor of `script`: the selected frame's, when it is in that script. */
export function currentLine(run: DebugRun | undefined, script: string): number | null {
  if (!run?.stop) return null;
  const frame = run.frames?.find((f) => f.id === run.frame);
  if (frame) return frame.script === script && frame.line !== undefined ? frame.line : null;
  return run.stop.script === script ? run.stop.line : null;
}
