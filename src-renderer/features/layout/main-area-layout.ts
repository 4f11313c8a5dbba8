// The main area's layout as pure functions over the contract's MainAreaLayout: one or two groups of tabs
// side by side, each with its active tab, one of them focused. A tab is in at most one group; a group
// left empty by a close or a move goes away, so two groups always both show something.
import { SPLIT_RATIO_RANGE, type MainAreaLayout, type TabGroup } from '../../../src-preload/contract/layout';

export type { MainAreaLayout, TabGroup };
export type TabId = string;
export type TabRef = { kind: 'session'; id: string } | { kind: 'view'; id: string };

export const sessionTab = (sessionId: string): TabId => `session:${sessionId}`;
export const viewTab = (viewId: string): TabId => `view:${viewId}`;

export function parseTab(tab: TabId): TabRef | null {
  const match = /^(session|view):(.+)$/.exec(tab);
  return match ? { kind: match[1] as TabRef['kind'], id: match[2]! } : null;
}

export const EMPTY_LAYOUT: MainAreaLayout = { version: 1, groups: [{ tabs: [], active: null }], focusedGroup: 0, splitRatio: 0.5 };

export function focusedTab(layout: MainAreaLayout): TabId | null {
  return layout.groups[layout.focusedGroup]?.active ?? null;
}

export function groupOf(layout: MainAreaLayout, tab: TabId): number {
  return layout.groups.findIndex((group) => group.tabs.includes(tab));
}

export function clampRatio(ratio: number): number {
  if (!Number.isFinite(ratio)) return EMPTY_LAYOUT.splitRatio;
  return Math.min(SPLIT_RATIO_RANGE.max, Math.max(SPLIT_RATIO_RANGE.min, ratio));
}

function withGroup(layout: MainAreaLayout, index: number, group: TabGroup): MainAreaLayout {
  return { ...layout, groups: layout.groups.map((candidate, i) => (i === index ? group : candidate)) };
}

/** Focuses the tab where it is; a tab not open yet is added after the focused group's active tab (or into `group`). */
export function openTab(layout: MainAreaLayout, tab: TabId, group?: number): MainAreaLayout {
  const existing = groupOf(layout, tab);
  if (existing >= 0) return focusTab(layout, tab);
  const target = group !== undefined && group < layout.groups.length ? group : layout.focusedGroup;
  const { tabs, active } = layout.groups[target]!;
  const at = active === null ? tabs.length : tabs.indexOf(active) + 1;
  const next = withGroup(layout, target, { tabs: [...tabs.slice(0, at), tab, ...tabs.slice(at)], active: tab });
  return { ...next, focusedGroup: target };
}

/** Makes the tab its group's active one and focuses that group; an unknown tab changes nothing. */
export function focusTab(layout: MainAreaLayout, tab: TabId): MainAreaLayout {
  const index = groupOf(layout, tab);
  if (index < 0) return layout;
  const group = layout.groups[index]!;
  if (group.active === tab && layout.focusedGroup === index) return layout;
  return { ...withGroup(layout, index, { ...group, active: tab }), focusedGroup: index };
}

/** The tab beside a closed one takes its place: the next, else the previous. */
function withoutTab(group: TabGroup, tab: TabId): TabGroup {
  const at = group.tabs.indexOf(tab);
  const tabs = group.tabs.filter((candidate) => candidate !== tab);
  const active = group.active !== tab ? group.active : (tabs[Math.min(at, tabs.length - 1)] ?? null);
  return { tabs, active };
}

/** Drops empty groups (keeping one) and keeps the focus on the group that held it, or its neighbour. */
function collapseEmpty(layout: MainAreaLayout): MainAreaLayout {
  if (layout.groups.length < 2 || layout.groups.every((group) => group.tabs.length > 0)) return layout;
  const kept = layout.groups.filter((group) => group.tabs.length > 0);
  if (kept.length === 0) return { ...layout, groups: [{ tabs: [], active: null }], focusedGroup: 0 };
  return { ...layout, groups: kept, focusedGroup: 0 };
}

export function closeTab(layout: MainAreaLayout, tab: TabId): MainAreaLayout {
  const index = groupOf(layout, tab);
  if (index < 0) return layout;
  return collapseEmpty(withGroup(layout, index, withoutTab(layout.groups[index]!, tab)));
}

/**
 * Moves a tab to the other group — with one group, into a new group on the right. Moving the only tab of
 * the only group changes nothing (it would leave the left empty).
 */
export function moveToOtherGroup(layout: MainAreaLayout, tab: TabId): MainAreaLayout {
  const from = groupOf(layout, tab);
  if (from < 0) return layout;
  const source = layout.groups[from]!;
  if (layout.groups.length === 1) {
    if (source.tabs.length === 1) return layout;
    return { ...layout, groups: [withoutTab(source, tab), { tabs: [tab], active: tab }], focusedGroup: 1 };
  }
  const to = 1 - from;
  const target = layout.groups[to]!;
  const groups = [withoutTab(source, tab), { tabs: [...target.tabs, tab], active: tab }];
  const moved: MainAreaLayout = { ...layout, groups: from === 0 ? groups : [groups[1]!, groups[0]!], focusedGroup: to };
  // An emptied source group goes: the moved tab's group is then the only one.
  return collapseEmpty(moved);
}

/** The next (+1) or previous (-1) tab of the focused group, wrapping around. */
export function cycleTab(layout: MainAreaLayout, delta: 1 | -1): MainAreaLayout {
  const group = layout.groups[layout.focusedGroup]!;
  if (group.tabs.length < 2) return layout;
  const at = group.active === null ? 0 : group.tabs.indexOf(group.active);
  const next = group.tabs[(at + delta + group.tabs.length) % group.tabs.length]!;
  return focusTab(layout, next);
}

export function focusGroup(layout: MainAreaLayout, index: number): MainAreaLayout {
  return index >= 0 && index < layout.groups.length && index !== layout.focusedGroup ? { ...layout, focusedGroup: index } : layout;
}

export function setSplitRatio(layout: MainAreaLayout, ratio: number): MainAreaLayout {
  return { ...layout, splitRatio: clampRatio(ratio) };
}

/**
 * A layout as it was saved, made consistent with what this window knows: unknown tabs (a view of another
 * version, a session that has ended) and repeats are dropped, an active tab that is not in its group is
 * replaced, empty groups collapse, and the focus and ratio are brought into range.
 */
export function normalizeLayout(saved: MainAreaLayout | null, isKnown: (tab: TabId) => boolean): MainAreaLayout {
  if (!saved) return EMPTY_LAYOUT;
  const seen = new Set<TabId>();
  const groups = saved.groups.slice(0, 2).map((group): TabGroup => {
    const tabs = group.tabs.filter((tab) => {
      if (seen.has(tab) || !isKnown(tab)) return false;
      seen.add(tab);
      return true;
    });
    const active = group.active !== null && tabs.includes(group.active) ? group.active : (tabs[0] ?? null);
    return { tabs, active };
  });
  const focusedGroup = Math.min(Math.max(0, Math.trunc(saved.focusedGroup) || 0), groups.length - 1);
  return collapseEmpty({ version: 1, groups, focusedGroup, splitRatio: clampRatio(saved.splitRatio) });
}

/** Keeps only the tabs `isKnown` accepts (sessions that ended, a package no longer selected). */
export function pruneTabs(layout: MainAreaLayout, isKnown: (tab: TabId) => boolean): MainAreaLayout {
  const stale = layout.groups.flatMap((group) => group.tabs.filter((tab) => !isKnown(tab)));
  return stale.reduce(closeTab, layout);
}
