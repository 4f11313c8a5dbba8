// The window's Ol-Fi store and entry buffer, bound to the window's bridge client.
import { useStore } from 'zustand';
import { bridge } from '../../bridge';
import { OlFiEntryBuffer } from './olfi-entries';
import { createOlFiStore, type OlFiStore } from './olfi-store';

export const olfiStore = createOlFiStore(bridge(), new OlFiEntryBuffer());

export function useOlFi<T>(selector: (state: OlFiStore) => T): T {
  return useStore(olfiStore, selector);
}

export { NO_FILTERS, type OlFiFilters } from './olfi-entries';
export { selectSelected, type OlFiStore, type PublishInput } from './olfi-store';
