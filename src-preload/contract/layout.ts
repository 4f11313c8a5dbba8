// Layout domain: which tabs the window's main area shows, in one or two groups side by side, kept in
// <data dir>/layout.json so it survives a reload and a restart (a browser host's port, and so its
// localStorage, changes at every start).
import { z } from 'zod';
import { method } from './define';

/**
 * "session:<id>" or "view:<id>". Only the length is checked here: the window drops the tabs it does not
 * know (a view a newer version added, a session that has ended), so a layout from another version still opens.
 */
export const tabIdSchema = z.string().min(1).max(200);

export const tabGroupSchema = z.object({
  tabs: z.array(tabIdSchema).max(200),
  active: tabIdSchema.nullable(),
});

export const SPLIT_RATIO_RANGE = { min: 0.15, max: 0.85 } as const;

export const mainAreaLayoutSchema = z.object({
  version: z.literal(1),
  /** One group, or two side by side (left, right). */
  groups: z.array(tabGroupSchema).min(1).max(2),
  /** The group keyboard shortcuts and newly opened tabs go to. */
  focusedGroup: z.number().int().min(0).max(1),
  /** The left group's share of the main area's width when there are two. */
  splitRatio: z.number().min(SPLIT_RATIO_RANGE.min).max(SPLIT_RATIO_RANGE.max),
});
export type MainAreaLayout = z.output<typeof mainAreaLayoutSchema>;
export type TabGroup = z.output<typeof tabGroupSchema>;

export const layoutMethods = {
  'layout:get': method(
    'The saved main-area layout; null on a first start, or when the saved one is from an incompatible version (the window starts from its default).',
    z.object({}).strict().default({}),
    z.object({ layout: mainAreaLayoutSchema.nullable() }),
  ),
  'layout:save': method('Replace the saved main-area layout.', z.object({ layout: mainAreaLayoutSchema }).strict(), z.object({})),
};
