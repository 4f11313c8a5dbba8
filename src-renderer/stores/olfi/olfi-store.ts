// Ol-Fi panel state: connection status and stats, the MVOC library, filters, pause, the selected frame,
// the visualizer. Entries live in an OlFiEntryBuffer outside the store; `rows` is the filtered
// newest-first snapshot the table shows, rebuilt at most every REDRAW_MS (and not while paused). The first
// batch after a quiet spell is drawn at once; under a steady stream the table redraws every REDRAW_MS.
import { createStore } from 'zustand/vanilla';
import type { MethodInput, MethodOutput } from '../../../src-preload/contract';
import type { MvocCompoundView, OlFiEntryView, OlFiStatsView, OlFiStatusView } from '../../../src-preload/contract/olfi';
import type { BridgeClient } from '../../bridge';
import { failureText, reported } from '../store-errors';
import { NO_FILTERS, NO_ROWS, OlFiEntryBuffer, type OlFiFilters, type OlFiRows } from './olfi-entries';

// Two of the mirror's 33 ms batches per redraw: each redraw lays out and paints every row on screen, and 15 a
// second instead of 20 is a quarter less of that work, for at most 16 ms more XADD → row latency.
const REDRAW_MS = 66;
const STATS_MS = 1000;
const HISTORY_PAGE = 500;

export type VisualizerView = MethodOutput<'olfi:visualizerStatus'>;
export type PublishInput = MethodInput<'olfi:publish'>;

export interface OlFiState {
  status: OlFiStatusView | null;
  stats: OlFiStatsView | null;
  compounds: MvocCompoundView[];
  colours: Record<string, string>;
  messageTypes: string[];
  priorities: string[];
  filters: OlFiFilters;
  paused: boolean;
  /** Filtered entries, newest first, as the table shows them. */
  rows: OlFiRows;
  /** Entries held, as of the last load or stats refresh (every STATS_MS). */
  buffered: number;
  /**
   * Entries the main side's mirror skipped on the way here (they arrived faster than updates are sent):
   * still in Redis, counted here until the user pages them in with loadSkipped().
   */
  skipped: number;
  selectedId: string | null;
  loadingHistory: boolean;
  historyExhausted: boolean;
  visualizer: VisualizerView | null;
  lastPublish: string | null;
  lastError: string | null;
}

export interface OlFiActions {
  /** Subscribes to the Ol-Fi events and hydrates on (re)connection; returns the unsubscribe. */
  connect(): () => void;
  load(): Promise<void>;
  setFilters(patch: Partial<OlFiFilters>): void;
  setPaused(paused: boolean): void;
  select(id: string | null): void;
  loadOlder(): Promise<void>;
  /** Pages in (up to HISTORY_PAGE of) the most recently skipped entries from Redis, each in its place. */
  loadSkipped(): Promise<void>;
  publish(input: PublishInput): Promise<boolean>;
  /** The checksum a frame with this payload carries, as the main side computes it (null when it could not be asked). */
  checksumOf(payload: string): Promise<number | null>;
  launchVisualizer(): Promise<void>;
  stopVisualizer(): Promise<void>;
  refreshVisualizer(): Promise<void>;
  clearError(): void;
}

export type OlFiStore = OlFiState & OlFiActions;

export function createOlFiStore(client: BridgeClient, buffer = new OlFiEntryBuffer()) {
  let redrawTimer: ReturnType<typeof setTimeout> | undefined;
  let statsTimer: ReturnType<typeof setInterval> | undefined;
  /** Runs of skipped entries, oldest first: `count` entries right before `beforeId`. */
  let gaps: { beforeId: string; count: number }[] = [];
  const skippedTotal = () => gaps.reduce((n, gap) => n + gap.count, 0);

  return createStore<OlFiStore>()((set, get) => {
    const rebuild = () => set({ rows: buffer.rows(get().filters), buffered: buffer.length });
    // Live redraws leave the count to the stats (every second): it is read, not watched, and a changed count
    // redraws the connection bar outside the table's containment 20 times a second.
    const redrawRows = () => set({ rows: buffer.rows(get().filters) });

    let lastRedraw = -REDRAW_MS;
    const scheduleRedraw = () => {
      if (redrawTimer !== undefined || get().paused) return;
      redrawTimer = setTimeout(() => {
        redrawTimer = undefined;
        lastRedraw = performance.now();
        if (!get().paused) redrawRows();
      }, Math.max(0, lastRedraw + REDRAW_MS - performance.now()));
    };

    const attempt = async (what: string, action: () => Promise<void>) => {
      await reported(what, action, (lastError) => set({ lastError }));
    };

    const refreshStats = () =>
      attempt('reading Ol-Fi status', async () => {
        const { status, stats } = await client.invoke('olfi:status', {});
        set({ status, stats, buffered: buffer.length });
      });

    return {
      status: null,
      stats: null,
      compounds: [],
      colours: {},
      messageTypes: [],
      priorities: [],
      filters: NO_FILTERS,
      paused: false,
      rows: NO_ROWS,
      buffered: 0,
      skipped: 0,
      selectedId: null,
      loadingHistory: false,
      historyExhausted: false,
      visualizer: null,
      lastPublish: null,
      lastError: null,

      connect() {
        const unsubscribers = [
          client.on('olfi:entries', ({ entries, skipped }) => {
            if (skipped > 0 && entries[0]) {
              gaps.push({ beforeId: entries[0].id, count: skipped });
              set({ skipped: skippedTotal() });
            }
            buffer.append(entries);
            scheduleRedraw();
          }),
          client.on('olfi:status', (status) => set({ status })),
          client.on('olfi:visualizer', () => void get().refreshVisualizer()),
          client.onStatus((connection) => {
            if (connection === 'open') void get().load();
          }),
        ];
        if (client.status === 'open') void get().load();
        statsTimer = setInterval(() => void refreshStats(), STATS_MS);
        return () => {
          unsubscribers.forEach((unsubscribe) => unsubscribe());
          clearTimeout(redrawTimer);
          clearInterval(statsTimer);
          redrawTimer = undefined;
        };
      },

      load: () =>
        attempt('loading Ol-Fi', async () => {
          const [library, window, visualizer] = await Promise.all([
            client.invoke('olfi:library', {}),
            client.invoke('olfi:window', { offset: 0, count: 1000 }),
            client.invoke('olfi:visualizerStatus', {}),
          ]);
          const colours = Object.fromEntries(library.compounds.map((c) => [c.name, c.colour]));
          buffer.clear();
          buffer.append([...window.entries].reverse());
          gaps = [];
          set({ skipped: 0 });
          set({ compounds: library.compounds, colours, messageTypes: library.messageTypes, priorities: library.priorities, visualizer, historyExhausted: false });
          rebuild();
          await refreshStats();
        }),

      setFilters(patch) {
        set((state) => ({ filters: { ...state.filters, ...patch } }));
        rebuild();
      },

      setPaused(paused) {
        set({ paused });
        if (!paused) rebuild();
      },

      select: (selectedId) => set({ selectedId }),

      loadOlder: () =>
        attempt('loading older frames', async () => {
          const before = buffer.oldestId;
          if (!before || get().loadingHistory) return;
          set({ loadingHistory: true });
          try {
            const { entries } = await client.invoke('olfi:history', { beforeId: before, count: HISTORY_PAGE });
            buffer.prependOlder(entries);
            set({ historyExhausted: entries.length < HISTORY_PAGE });
            rebuild();
          } finally {
            set({ loadingHistory: false });
          }
        }),

      loadSkipped: () =>
        attempt('loading skipped frames', async () => {
          const gap = gaps.at(-1);
          if (!gap || get().loadingHistory) return;
          set({ loadingHistory: true });
          try {
            const want = Math.min(gap.count, HISTORY_PAGE);
            const { entries } = await client.invoke('olfi:history', { beforeId: gap.beforeId, count: want });
            buffer.insertPage(entries);
            gap.count -= entries.length;
            if (entries.length < want || gap.count <= 0) gaps = gaps.filter((g) => g !== gap);
            else gap.beforeId = entries.at(-1)!.id;
            set({ skipped: skippedTotal() });
            rebuild();
          } finally {
            set({ loadingHistory: false });
          }
        }),

      async publish(input) {
        try {
          const result = await client.invoke('olfi:publish', input);
          set({ lastPublish: `sent ${result.mvoc} as ${result.id}${result.status === 'valid' ? '' : ` (${result.status})`}`, lastError: null });
          return true;
        } catch (error) {
          set({ lastError: failureText('sending the frame', error) });
          return false;
        }
      },

      async checksumOf(payload) {
        try {
          return (await client.invoke('olfi:checksum', { payload })).checksum;
        } catch {
          // The form shows no checksum until the host answers; sending reports any problem itself.
          return null;
        }
      },

      launchVisualizer: () => attempt('launching the visualizer', async () => set({ visualizer: await client.invoke('olfi:visualizerLaunch', {}) })),
      stopVisualizer: () => attempt('stopping the visualizer', async () => set({ visualizer: await client.invoke('olfi:visualizerStop', {}) })),
      refreshVisualizer: () => attempt('reading the visualizer state', async () => set({ visualizer: await client.invoke('olfi:visualizerStatus', {}) })),
      clearError: () => set({ lastError: null }),
    };
  });
}

/** The selected entry, found in the rows shown or the buffer. */
export function selectSelected(state: OlFiState): OlFiEntryView | undefined {
  return state.selectedId ? state.rows.find((e) => e.id === state.selectedId) : undefined;
}
