// Metrics view state: the hypervisor connection status and the view's choices (VM, window, pause).
// Samples live in a MetricsBuffer outside the store; `version` tells charts when to redraw and is
// bumped at most every REDRAW_MS so a 1 kHz feed does not re-render React 1000 times a second.
import { createStore } from 'zustand/vanilla';
import type { MetricSample, MetricsStatus } from '../../../src-preload/contract/metrics';
import { errorMessage, type BridgeClient } from '../../bridge';
import { MetricsBuffer, samplesToCsv } from './metrics-buffer';

export const WINDOW_CHOICES_S = [30, 60, 300, 600] as const;
export const DEFAULT_ENDPOINT = '127.0.0.1:12345';
const REDRAW_MS = 200;

export interface MetricsState {
  status: MetricsStatus | null;
  vmIds: string[];
  selectedVm: string | null;
  paused: boolean;
  windowS: number;
  endpoint: string;
  /** Samples received by this window since it opened. */
  received: number;
  version: number;
  busy: boolean;
  lastError: string | null;
}

export interface MetricsActions {
  /** Subscribes to the metrics events and hydrates on (re)connection; returns the unsubscribe. */
  connect(): () => void;
  load(): Promise<void>;
  connectHypervisor(): Promise<void>;
  disconnectHypervisor(): Promise<void>;
  setEndpoint(endpoint: string): void;
  selectVm(vm: string): void;
  setPaused(paused: boolean): void;
  setWindow(seconds: number): void;
  /** CSV of the selected VM's samples in the current window. */
  csv(): { filename: string; text: string } | null;
}

export type MetricsStore = MetricsState & MetricsActions;

export function createMetricsStore(client: BridgeClient, buffer = new MetricsBuffer()) {
  let redrawTimer: ReturnType<typeof setTimeout> | undefined;

  return createStore<MetricsStore>()((set, get) => {
    const scheduleRedraw = () => {
      if (redrawTimer !== undefined || get().paused) return;
      redrawTimer = setTimeout(() => {
        redrawTimer = undefined;
        if (!get().paused) set((state) => ({ version: state.version + 1 }));
      }, REDRAW_MS);
    };

    const ingest = (samples: readonly MetricSample[]) => {
      buffer.append(samples);
      const vmIds = buffer.vmIds();
      set((state) => ({
        received: state.received + samples.length,
        vmIds: vmIds.join() === state.vmIds.join() ? state.vmIds : vmIds,
        selectedVm: state.selectedVm && vmIds.includes(state.selectedVm) ? state.selectedVm : (vmIds[0] ?? null),
      }));
      scheduleRedraw();
    };

    const run = async (what: string, action: () => Promise<MetricsStatus>) => {
      set({ busy: true });
      try {
        set({ status: await action(), lastError: null });
      } catch (error) {
        set({ lastError: `${what}: ${errorMessage(error)}` });
      } finally {
        set({ busy: false });
      }
    };

    return {
      status: null,
      vmIds: [],
      selectedVm: null,
      paused: false,
      windowS: 60,
      endpoint: DEFAULT_ENDPOINT,
      received: 0,
      version: 0,
      busy: false,
      lastError: null,

      connect() {
        const unsubscribers = [
          client.on('metrics:samples', ({ samples }) => ingest(samples)),
          client.on('metrics:status', (status) => set({ status })),
          client.onStatus((connection) => {
            if (connection === 'open') void get().load();
          }),
        ];
        if (client.status === 'open') void get().load();
        return () => {
          unsubscribers.forEach((unsubscribe) => unsubscribe());
          clearTimeout(redrawTimer);
          redrawTimer = undefined;
        };
      },

      async load() {
        try {
          const { status, vms } = await client.invoke('metrics:snapshot', {});
          buffer.clear();
          for (const { samples } of vms) buffer.append(samples);
          const vmIds = buffer.vmIds();
          set((state) => ({ status, vmIds, endpoint: status.endpoint, selectedVm: state.selectedVm ?? vmIds[0] ?? null, version: state.version + 1, lastError: null }));
        } catch (error) {
          set({ lastError: `loading metrics: ${errorMessage(error)}` });
        }
      },

      connectHypervisor: () => run('connecting to the hypervisor', () => client.invoke('metrics:connect', { endpoint: get().endpoint.trim() || DEFAULT_ENDPOINT })),
      disconnectHypervisor: () => run('disconnecting', () => client.invoke('metrics:disconnect', {})),
      setEndpoint: (endpoint) => set({ endpoint }),
      selectVm: (vm) => set((state) => ({ selectedVm: vm, version: state.version + 1 })),
      setPaused: (paused) => set((state) => ({ paused, version: paused ? state.version : state.version + 1 })),
      setWindow: (windowS) => set((state) => ({ windowS, version: state.version + 1 })),

      csv() {
        const { selectedVm, windowS } = get();
        if (!selectedVm) return null;
        const safe = selectedVm.replace(/[^A-Za-z0-9_.-]/g, '_');
        return { filename: `metrics-${safe}-${windowS}s.csv`, text: samplesToCsv(buffer.window(selectedVm, windowS)) };
      },
    };
  });
}
