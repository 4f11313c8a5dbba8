// Range checks for values that come from outside the workbench (stream ids, hypervisor samples, file
// times) at the point where they become a date or a chart axis, and the one way text from
// outside is shown (control, bidi and zero-width characters made visible). Shared by the main process
// (CLI output) and the renderer, so both sides apply the same rule. A value that fails a check is shown
// as invalid where it is; it never throws.

/** What a date that cannot be shown reads as. */
export const INVALID_TIME = 'invalid time';

/** ECMAScript dates span ±8.64e15 ms around 1970; beyond that `new Date` is Invalid Date and formatting throws. */
const MAX_DATE_MS = 8.64e15;

/** `ms` as a Date, or undefined when it is not a finite number of milliseconds a Date can hold. */
export function safeDate(ms: unknown): Date | undefined {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) return undefined;
  return new Date(ms);
}

/** ISO 8601 text of `ms`, or "invalid time". */
export function isoTime(ms: unknown): string {
  return safeDate(ms)?.toISOString() ?? INVALID_TIME;
}

/** `format(date)` of `ms` (e.g. an Intl formatter), or "invalid time". */
export function formatTime(ms: unknown, format: (date: Date) => string): string {
  const date = safeDate(ms);
  return date ? format(date) : INVALID_TIME;
}

/**
 * The time part of a Redis stream id `<ms>-<seq>`, or undefined when the id is malformed or its time is
 * beyond what a Date holds (Redis accepts ids up to 2^64-1, e.g. `8640000000000001-0`, and every later
 * auto id `*` inherits that time).
 */
export function streamIdTimeMs(id: string): number | undefined {
  const match = /^(\d{1,20})(?:-\d{1,20})?$/.exec(id);
  if (!match) return undefined;
  const ms = Number(match[1]);
  return safeDate(ms) ? ms : undefined;
}

/**
 * Largest magnitude a chart axis is fed: uPlot builds its ticks from the range (a time axis in seconds with
 * t = 1e300 asked for an array of impossible length), and time values must still be valid dates.
 */
export const MAX_AXIS_VALUE = 8.64e12;

/** True when `x` can be drawn on a chart axis (finite, within ±MAX_AXIS_VALUE). */
export function isAxisValue(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x) && Math.abs(x) <= MAX_AXIS_VALUE;
}

/**
 * Characters that would be invisible or would reorder what is shown: C0 controls except tab and newline,
 * DEL, C1 controls, bidi embeddings, overrides and isolates (U+202A–202E, U+2066–2069), marks
 * (U+200E/200F, U+061C), zero-width and invisible formatting characters (U+200B–200D, U+2060–2064, U+FEFF,
 * U+180E, U+00AD), line/paragraph separators (U+2028/2029) and lone surrogates.
 */
const HIDDEN =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text from outside (frames, program output, names) as it is shown: every hidden or reordering character
 * becomes a visible escape (`\u202E`, `\x1B`), so what is on screen is what was sent.
 */
export function visibleText(text: string): string {
  return text.replace(HIDDEN, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

/** True when visibleText would change `text`. */
export function hasHiddenCharacters(text: string): boolean {
  HIDDEN.lastIndex = 0;
  const found = HIDDEN.test(text);
  HIDDEN.lastIndex = 0;
  return found;
}
