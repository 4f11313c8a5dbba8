// The MVOC library shared by the codec, the panel and the visualizer (resources/olfi/mvoc-library.json).
import library from '../../resources/olfi/mvoc-library.json';
import type { MvocCompoundView as MvocCompound } from '../../src-preload/contract/olfi';

export type { MvocCompoundView as MvocCompound } from '../../src-preload/contract/olfi';

export const MVOC_COMPOUNDS: readonly MvocCompound[] = library.compounds as MvocCompound[];

const byName = new Map(MVOC_COMPOUNDS.map((c) => [c.name, c]));

/**
 * Producers write names loosely ("acetoin", "2-methylbutanol"); the library's names are upper case with `_`.
 * ASCII-only upper-casing so that the Lua codec (which upper-cases bytes) agrees.
 */
export function canonicalMvocName(name: string): string {
  return name.replace(/[a-z]/g, (c) => c.toUpperCase()).replace(/[-\s]/g, '_');
}

export function findCompound(name: string): MvocCompound | undefined {
  // Most names on the stream are already canonical; skip the rewriting for them (hot path of the mirror).
  return byName.get(name) ?? byName.get(canonicalMvocName(name));
}
