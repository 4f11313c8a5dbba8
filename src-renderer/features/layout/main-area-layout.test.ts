import { describe, expect, it } from 'vitest';
import { mainAreaLayoutSchema } from '../../../src-preload/contract/layout';
import {
  closeTab,
  cycleTab,
  EMPTY_LAYOUT,
  focusedTab,
  moveToOtherGroup,
  normalizeLayout,
  openTab,
  pruneTabs,
  setSplitRatio,
  type MainAreaLayout,
} from './main-area-layout';

const layoutOf = (groups: string[][], focusedGroup = 0, actives?: (string | null)[]): MainAreaLayout => ({
  version: 1,
  groups: groups.map((tabs, index) => ({ tabs, active: actives ? actives[index]! : (tabs[0] ?? null) })),
  focusedGroup,
  splitRatio: 0.5,
});
const known = (tab: string) => /^(session:.+|view:(olfi|metrics|welcome))$/.test(tab);

describe('main-area layout', () => {
  it('opens a tab after the active one and focuses it; opening an open tab only shows it', () => {
    let layout = openTab(EMPTY_LAYOUT, 'view:welcome');
    layout = openTab(layout, 'session:a');
    layout = openTab(openTab(layout, 'view:welcome'), 'view:olfi');
    expect(layout.groups).toEqual([{ tabs: ['view:welcome', 'view:olfi', 'session:a'], active: 'view:olfi' }]);
    expect(openTab(layout, 'session:a').groups[0]!.tabs).toHaveLength(3);
    expect(focusedTab(openTab(layout, 'session:a'))).toBe('session:a');
  });

  it('moves a tab to a new group on the right, then back, and the emptied group goes', () => {
    const one = layoutOf([['session:a', 'view:olfi']], 0, ['view:olfi']);
    const split = moveToOtherGroup(one, 'view:olfi');
    expect(split.groups).toEqual([{ tabs: ['session:a'], active: 'session:a' }, { tabs: ['view:olfi'], active: 'view:olfi' }]);
    expect(split.focusedGroup).toBe(1);
    const back = moveToOtherGroup(split, 'view:olfi');
    expect(back.groups).toEqual([{ tabs: ['session:a', 'view:olfi'], active: 'view:olfi' }]);
    expect(back.focusedGroup).toBe(0);
  });

  it('moves a tab from the right group into the left one without disturbing the rest', () => {
    const split = layoutOf([['session:a'], ['view:olfi', 'view:metrics']], 1, ['session:a', 'view:metrics']);
    const moved = moveToOtherGroup(split, 'view:metrics');
    expect(moved.groups).toEqual([{ tabs: ['session:a', 'view:metrics'], active: 'view:metrics' }, { tabs: ['view:olfi'], active: 'view:olfi' }]);
    expect(moved.focusedGroup).toBe(0);
  });

  it('does not move the only tab of the only group (the left would be empty)', () => {
    const one = layoutOf([['session:a']]);
    expect(moveToOtherGroup(one, 'session:a')).toBe(one);
  });

  it('closing the last tab of a group removes the group; the other keeps its tabs and takes the focus', () => {
    const split = layoutOf([['session:a', 'session:b'], ['view:olfi']], 1, ['session:b', 'view:olfi']);
    const closed = closeTab(split, 'view:olfi');
    expect(closed.groups).toEqual([{ tabs: ['session:a', 'session:b'], active: 'session:b' }]);
    expect(closed.focusedGroup).toBe(0);
    expect(closed.splitRatio).toBe(0.5);
    const leftGone = closeTab(layoutOf([['session:a'], ['view:olfi']], 0), 'session:a');
    expect(leftGone.groups).toEqual([{ tabs: ['view:olfi'], active: 'view:olfi' }]);
    expect(leftGone.focusedGroup).toBe(0);
  });

  it('closing the last tab of all leaves one empty group', () => {
    expect(closeTab(layoutOf([['view:welcome']]), 'view:welcome')).toEqual(EMPTY_LAYOUT);
  });

  it('closing the active tab shows its right neighbour, else its left one', () => {
    const layout = layoutOf([['a', 'b', 'c']], 0, ['b']);
    expect(closeTab(layout, 'b').groups[0]!.active).toBe('c');
    expect(closeTab(layoutOf([['a', 'b', 'c']], 0, ['c']), 'c').groups[0]!.active).toBe('b');
    expect(closeTab(layout, 'a').groups[0]!.active).toBe('b');
  });

  it('cycles through the focused group\'s tabs, wrapping around', () => {
    const layout = layoutOf([['a', 'b', 'c']], 0, ['c']);
    expect(focusedTab(cycleTab(layout, 1))).toBe('a');
    expect(focusedTab(cycleTab(layout, -1))).toBe('b');
  });

  it('keeps the split ratio inside its range', () => {
    expect(setSplitRatio(EMPTY_LAYOUT, 0.01).splitRatio).toBe(0.15);
    expect(setSplitRatio(EMPTY_LAYOUT, 2).splitRatio).toBe(0.85);
    expect(setSplitRatio(EMPTY_LAYOUT, Number.NaN).splitRatio).toBe(0.5);
  });

  it('prunes tabs that are gone (ended sessions) without moving the focus', () => {
    const layout = layoutOf([['session:a', 'session:gone'], ['view:olfi']], 1, ['session:gone', 'view:olfi']);
    const pruned = pruneTabs(layout, (tab) => tab !== 'session:gone');
    expect(pruned.groups).toEqual([{ tabs: ['session:a'], active: 'session:a' }, { tabs: ['view:olfi'], active: 'view:olfi' }]);
    expect(pruned.focusedGroup).toBe(1);
  });
});

describe('a saved layout', () => {
  it('that is missing (first start) gives the empty layout', () => {
    expect(normalizeLayout(null, known)).toEqual(EMPTY_LAYOUT);
  });

  it('drops unknown views (another version\'s), repeated tabs and an active tab it does not hold', () => {
    const saved = layoutOf([['view:timeline', 'session:a', 'view:olfi'], ['session:a', 'view:metrics']], 1, ['view:timeline', 'session:a']);
    expect(normalizeLayout(saved, known)).toEqual({
      version: 1,
      groups: [{ tabs: ['session:a', 'view:olfi'], active: 'session:a' }, { tabs: ['view:metrics'], active: 'view:metrics' }],
      focusedGroup: 1,
      splitRatio: 0.5,
    });
  });

  it('with a group left empty by what was dropped collapses to one group', () => {
    const saved = layoutOf([['view:timeline'], ['view:olfi']], 0);
    expect(normalizeLayout(saved, known)).toEqual({ ...layoutOf([['view:olfi']]), focusedGroup: 0 });
    expect(normalizeLayout(layoutOf([['view:x'], ['view:y']], 1), known)).toEqual(EMPTY_LAYOUT);
  });

  it('with a focus or ratio out of range is brought back into range', () => {
    const saved = { ...layoutOf([['view:olfi']]), focusedGroup: 1, splitRatio: 7 };
    expect(normalizeLayout(saved, known)).toMatchObject({ focusedGroup: 0, splitRatio: 0.85 });
  });

  it('that does not fit the contract (an older file, garbage) is refused before it reaches the window', () => {
    for (const bad of [{ sidebarWidths: {}, consoleHeight: 200 }, { version: 2, groups: [] }, { ...EMPTY_LAYOUT, groups: [] }, { ...EMPTY_LAYOUT, groups: [{ tabs: ['x'.repeat(201)], active: null }] }, 'layout']) {
      expect(mainAreaLayoutSchema.safeParse(bad).success).toBe(false);
    }
    expect(mainAreaLayoutSchema.safeParse(layoutOf([['view:olfi'], ['session:a']], 1)).success).toBe(true);
  });
});
