import { describe, expect, it } from 'vitest';
import { formatTime, hasHiddenCharacters, isAxisValue, isoTime, safeDate, streamIdTimeMs, visibleText } from './outside-values';

describe('values from outside, range-checked where they become dates, lengths and axes', () => {
  it('a stream id beyond a Date (Redis takes ids to 2^64-1) reads as "invalid time", never throws', () => {
    expect(streamIdTimeMs('1700000000000-3')).toBe(1_700_000_000_000);
    expect(streamIdTimeMs('8640000000000000-0')).toBe(8.64e15);
    for (const id of ['8640000000000001-0', '8640000000000001-7', '18446744073709551615-0', 'nonsense', '', '-1-0', '1e3-0']) {
      expect(streamIdTimeMs(id)).toBeUndefined();
      expect(isoTime(streamIdTimeMs(id))).toBe('invalid time');
    }
    expect(isoTime(streamIdTimeMs('0-1'))).toBe('1970-01-01T00:00:00.000Z');
    expect(formatTime(1e300, () => 'unreachable')).toBe('invalid time');
    expect(formatTime(0, (d) => String(d.getTime()))).toBe('0');
    for (const ms of [Number.NaN, Infinity, -8.64e15 - 1, '5', null, undefined]) expect(safeDate(ms)).toBeUndefined();
  });

  it('chart axes take finite values within a date range only', () => {
    expect(isAxisValue(1_700_000_000)).toBe(true);
    expect(isAxisValue(-3.5)).toBe(true);
    for (const x of [1e300, -1e300, Infinity, Number.NaN, '1', undefined]) expect(isAxisValue(x)).toBe(false);
  });

  it('bidi overrides and isolates, controls and zero-width characters are shown escaped; tab, newline and ordinary text are not', () => {
    expect(visibleText('abc\u202Eexe.txt')).toBe('abc\\u202Eexe.txt');
    expect(visibleText('\u202A\u202B\u202C\u202D\u2066\u2067\u2068\u2069')).toBe('\\u202A\\u202B\\u202C\\u202D\\u2066\\u2067\\u2068\\u2069');
    expect(visibleText('\u0000\u0007\u001B[31mred\u007F\u0085\u009B')).toBe('\\x00\\x07\\x1B[31mred\\x7F\\x85\\x9B');
    expect(visibleText('a\u200Bb\u200Cc\u200Dd\uFEFFe\u2060f\u00ADg\u200E\u200F\u061C')).toBe('a\\u200Bb\\u200Cc\\u200Dd\\uFEFFe\\u2060f\\xADg\\u200E\\u200F\\u061C');
    expect(visibleText('\u2028\u2029\r')).toBe('\\u2028\\u2029\\x0D');
    expect(visibleText('\uD800 lone \uDFFF')).toBe('\\uD800 lone \\uDFFF');
    const plain = 'tab\there\nnew line — ümlaut 日本語 🧪 «quotes» ✓';
    expect(visibleText(plain)).toBe(plain);
    expect(hasHiddenCharacters(plain)).toBe(false);
    expect(hasHiddenCharacters('x\u202E')).toBe(true);
    expect(hasHiddenCharacters('x\u202E')).toBe(true);
  });
});
