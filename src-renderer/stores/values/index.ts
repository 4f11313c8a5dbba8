// The window's values store, bound to the window's bridge client.
import { useStore } from 'zustand';
import { bridge } from '../../bridge';
import { createValuesStore, type ValuesStore } from './values-store';

export const valuesStore = createValuesStore(bridge());

export function useValues<T>(selector: (state: ValuesStore) => T): T {
  return useStore(valuesStore, selector);
}

export { CHILDREN_PAGE, DEBUG_ROOT, STRING_PAGE, type NodeState, type ValuesStore } from './values-store';
