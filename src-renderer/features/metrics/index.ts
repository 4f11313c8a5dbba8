// The window's metrics store and sample buffer, bound to the window's bridge client.
import { useStore } from 'zustand';
import { bridge } from '../../bridge';
import { MetricsBuffer } from './metrics-buffer';
import { createMetricsStore, type MetricsStore } from './metrics-store';

export const metricsBuffer = new MetricsBuffer();
export const metricsStore = createMetricsStore(bridge(), metricsBuffer);

export function useMetrics<T>(selector: (state: MetricsStore) => T): T {
  return useStore(metricsStore, selector);
}
