// Layout domain store: the main area's tabs and groups (features/layout/main-area-layout.ts computes every
// change), loaded once from the main side's layout.json and saved back after each change, so a reload or
// a restart opens the window as it was left.
import { createStore } from 'zustand/vanilla';
import type { BridgeClient } from '../../bridge';
import { failureText } from '../store-errors';
import { EMPTY_LAYOUT, normalizeLayout, type MainAreaLayout, type TabId } from '../../features/layout/main-area-layout';

export interface LayoutState {
  layout: MainAreaLayout;
  /** The saved layout has been read (until then nothing is saved, so a slow start cannot overwrite it). */
  loaded: boolean;
  /** Nothing was saved before: the window shows the welcome tab. */
  firstStart: boolean;
  problem: string | null;
}

export interface LayoutActions {
  connect(isKnown: (tab: TabId) => boolean): () => void;
  /** Applies one layout change; a drag's many small changes pass `debounce` and are saved once it pauses. */
  change(next: (layout: MainAreaLayout) => MainAreaLayout, options?: { debounce?: boolean }): void;
}

export type LayoutStore = LayoutState & LayoutActions;

const SAVE_PAUSE_MS = 300;

export function createLayoutStore(client: BridgeClient) {
  let pendingSave: ReturnType<typeof setTimeout> | undefined;

  return createStore<LayoutStore>()((set, get) => {
    const save = () => {
      clearTimeout(pendingSave);
      pendingSave = undefined;
      client.invoke('layout:save', { layout: get().layout }).then(
        () => get().problem && set({ problem: null }),
        (error: unknown) => set({ problem: failureText('saving the window layout', error) }),
      );
    };

    return {
      layout: EMPTY_LAYOUT,
      loaded: false,
      firstStart: false,
      problem: null,

      connect(isKnown) {
        return client.onStatus((status) => {
          if (status !== 'open' || get().loaded) return;
          client.invoke('layout:get', {}).then(
            ({ layout }) => set({ layout: normalizeLayout(layout, isKnown), loaded: true, firstStart: layout === null }),
            (error: unknown) => set({ loaded: true, problem: `${failureText('reading the saved window layout', error)} — the default layout is used` }),
          );
        });
      },

      change(next, options = {}) {
        const layout = next(get().layout);
        if (layout === get().layout) return;
        set({ layout });
        if (!get().loaded) return;
        if (!options.debounce) return save();
        clearTimeout(pendingSave);
        pendingSave = setTimeout(save, SAVE_PAUSE_MS);
      },
    };
  });
}
