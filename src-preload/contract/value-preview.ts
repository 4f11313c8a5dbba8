// A Lua value as lua/runtime/inspect.lua previews it: the shapes a run's returned values, a
// session's globals and the pages of a table or a long string cross in. Kept apart from
// values.ts so sessions.ts (output chunks, run results) can use them without an import cycle.
import { z } from 'zod';

/** Refs are integers the runner hands out; each runner process counts from its own base. */
export const valueRefSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const valuePreviewSchema = z.object({
  /** A Lua type name, or 'metatable' for the key of a table's metatable entry. */
  type: z.string().max(16),
  /** Short text: the value itself for scalars, `{1, 2, x = …}` for a table, a quoted string cut at ~100 bytes. */
  text: z.string().max(1024),
  /** Present when the value can be expanded (a non-empty table, a userdata with a metatable) or paged (a long string). */
  ref: valueRefSchema.optional(),
  /** Entries of a table (absent when there are too many to count cheaply), bytes of a string. */
  count: z.number().int().min(0).optional(),
  /** The metatable's __name, read as a plain field (never called). */
  name: z.string().max(1024).optional(),
});
export type ValuePreview = z.output<typeof valuePreviewSchema>;

/** A preview with children filled in to a depth (the CLI's text and `--json`). */
export const valueTreeSchema = valuePreviewSchema.extend({
  /** This child is one of its ancestors: not descended. */
  cycle: z.boolean().optional(),
  get children() {
    return z
      .object({ items: z.array(z.object({ key: valuePreviewSchema, value: valueTreeSchema })), total: z.number().int().min(0) })
      .optional();
  },
});
export type ValueTree = z.output<typeof valueTreeSchema>;
