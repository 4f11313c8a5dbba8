// The window's layout store, bound to the window's bridge client.
import { useStore } from 'zustand';
import { bridge } from '../../bridge';
import { createLayoutStore, type LayoutStore } from './layout-store';

export const layoutStore = createLayoutStore(bridge());

export function useLayout<T>(selector: (state: LayoutStore) => T): T {
  return useStore(layoutStore, selector);
}

export type { LayoutStore } from './layout-store';
