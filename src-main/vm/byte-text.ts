// Lua strings are bytes; the host's strings are UTF-16. Between the two, a byte string travels as a
// JS string in which valid UTF-8 is ordinary text and every byte that is not part of valid UTF-8
// (0x80–0xFF only: ASCII is always valid) is the lone low surrogate U+DC80–U+DCFF (Python's
// "surrogateescape"). The mapping is lossless both ways: valid UTF-8 never decodes to a lone
// surrogate, so `textToBytes(bytesToText(b))` is `b` for every byte string, and JSON (which escapes
// lone surrogates as "\udcXX") and structured clone carry such strings unchanged.
// lua/runtime/json.lua applies the same rule on the Lua side.

const ESCAPED_BYTE = /[\udc80-\udcff]/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Bytes as text: valid UTF-8 decoded, every other byte ≥ 0x80 as U+DC80 + (byte − 0x80). */
export function bytesToText(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return decodeWithEscapes(bytes);
  }
}

/** The exact bytes `text` stands for (inverse of bytesToText); other lone surrogates become U+FFFD. */
export function textToBytes(text: string): Buffer {
  if (!ESCAPED_BYTE.test(text)) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc80 || c > 0xdcff) continue;
    const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
    if (prev >= 0xd800 && prev <= 0xdbff) continue; // the low half of a surrogate pair is a character
    parts.push(Buffer.from(text.slice(start, i), 'utf8'), Buffer.of(c - 0xdc00));
    start = i + 1;
  }
  parts.push(Buffer.from(text.slice(start), 'utf8'));
  return Buffer.concat(parts);
}

/** Whether the text holds bytes that are not valid UTF-8 (shown escaped, written raw). */
export function hasEscapedBytes(text: string): boolean {
  return ESCAPED_BYTE.test(text);
}

/**
 * Text whose pieces were escaped separately (a UTF-8 character split across two output chunks is
 * two or three escaped bytes) decoded again as one byte string.
 */
export function rejoinBytes(text: string): string {
  return hasEscapedBytes(text) ? bytesToText(textToBytes(text)) : text;
}

/**
 * Source text of a Lua file as lua.c loads it: a UTF-8 byte-order mark is dropped and a first line
 * starting with `#` (a `#!` line) is blanked, its newline kept so line numbers stay right.
 */
export function luaSourceFromFile(bytes: Uint8Array): string {
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  if (bytes[start] === 0x23) {
    const nl = bytes.indexOf(0x0a, start);
    start = nl === -1 ? bytes.length : nl;
  }
  return bytesToText(bytes.subarray(start));
}

// Sequences per the Unicode standard's table 3-7 (no overlongs, no surrogates, nothing above U+10FFFF).
function sequenceLength(b: Uint8Array, i: number): number {
  const lead = b[i]!;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (lead >= 0xc2 && lead <= 0xdf) return cont(1) ? 2 : 0;
  if (lead === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (lead === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (lead >= 0xe1 && lead <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (lead === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (lead >= 0xf1 && lead <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (lead === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

function decodeWithEscapes(bytes: Uint8Array): string {
  let out = '';
  let start = 0;
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i]! < 0x80) {
      i++;
      continue;
    }
    const n = sequenceLength(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out += strictUtf8.decode(bytes.subarray(start, i)) + String.fromCharCode(0xdc00 + bytes[i]!);
    i++;
    start = i;
  }
  return out + strictUtf8.decode(bytes.subarray(start));
}
