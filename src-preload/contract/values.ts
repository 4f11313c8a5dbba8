// Values domain: expanding what a session's runs returned and what its globals hold, a page at a
// time (lua/runtime/inspect.lua does the work in the runner). Refs come from previews in output
// chunks, run results and values:globals; a ref lives until the session's next run starts and, after
// that, for as long as the program still holds the value. A ref that is gone answers `not_found`
// ("re-run to expand").
import { z } from 'zod';
import { method } from './define';
import { sessionIdSchema } from './session-id';
import { valuePreviewSchema, valueRefSchema } from './value-preview';

export const childrenPageSchema = z.object({
  items: z.array(z.object({ key: valuePreviewSchema, value: valuePreviewSchema })).max(1000),
  /** Entries in all: the array part, the other keys, and the metatable as the last one. */
  total: z.number().int().min(0),
  /** Where the next page starts (absent on the last page). */
  next: z.number().int().min(1).optional(),
});
export type ChildrenPage = z.output<typeof childrenPageSchema>;

export const stringPageSchema = z.object({
  /** Bytes start.. of the string (cut before a UTF-8 character that would not fit). */
  text: z.string(),
  start: z.number().int().min(1),
  total: z.number().int().min(0),
  next: z.number().int().min(1).optional(),
});
export type StringPage = z.output<typeof stringPageSchema>;

export const globalEntrySchema = z.object({
  name: z.string(),
  value: valuePreviewSchema,
  /** Part of the environment a session starts with (print, string, …), unchanged by the program. */
  builtin: z.boolean(),
});
export type GlobalEntry = z.output<typeof globalEntrySchema>;

export const MAX_GLOBALS = 2000;

const byRef = z.object({ id: sessionIdSchema, ref: valueRefSchema });

export const valuesMethods = {
  'values:children': method(
    "A page of a table's entries (REPL listing order: 1..n, then other keys by type and value, then the metatable).",
    byRef.extend({ start: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).default(1), count: z.number().int().min(1).max(1000).default(100) }),
    childrenPageSchema,
  ),
  'values:string': method(
    'A page of a long string, by bytes.',
    byRef.extend({ start: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).default(1), count: z.number().int().min(1).max(1024 * 1024).default(64 * 1024) }),
    stringPageSchema,
  ),
  'values:globals': method(
    "The session's globals: the program's first, then (with builtins) the ones every session starts with; names filtered by a case-insensitive substring.",
    z.object({ id: sessionIdSchema, builtins: z.boolean().default(false), filter: z.string().max(200).default('') }),
    z.object({ items: z.array(globalEntrySchema).max(MAX_GLOBALS), total: z.number().int().min(0) }),
  ),
};

export const valuesEvents = {};
