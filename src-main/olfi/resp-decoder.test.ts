import { describe, expect, it } from 'vitest';
import { RespDecoder, RespError, type RespValue } from './resp-decoder';

function bulk(text: string): string {
  return `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
}

const long = `{"payload":"${'x'.repeat(200)}"}`;
const wire = `*2\r\n${bulk('olfi_stream')}*3\r\n*2\r\n${bulk('1-0')}*4\r\n${bulk('mvoc')}${bulk('ACETOIN')}${bulk('frame')}${bulk(long)}*2\r\n${bulk('2-0')}*2\r\n${bulk('frame')}${bulk('é ü 🦠')}*0\r\n`;
const expected: RespValue = ['olfi_stream', [['1-0', ['mvoc', 'ACETOIN', 'frame', long]], ['2-0', ['frame', 'é ü 🦠']], []]];

describe('RespDecoder', () => {
  it('decodes a reply split at every byte, with non-ASCII and long values', () => {
    const decoder = new RespDecoder();
    const bytes = Buffer.from(wire);
    const replies: RespValue[] = [];
    for (let i = 0; i < bytes.length; i++) replies.push(...decoder.push(bytes.subarray(i, i + 1)));
    expect(replies).toEqual([expected]);
  });

  it('decodes several replies of every kind from one chunk, in order', () => {
    const decoder = new RespDecoder();
    const replies = decoder.push(Buffer.from(`+OK\r\n:42\r\n$-1\r\n*-1\r\n-WRONGPASS invalid username-password pair\r\n${wire}${bulk('')}`));
    expect(replies.slice(0, 4)).toEqual(['OK', 42, null, null]);
    expect(replies[4]).toBeInstanceOf(RespError);
    expect((replies[4] as RespError).message).toBe('WRONGPASS invalid username-password pair');
    expect(replies.slice(5)).toEqual([expected, '']);
  });

  it('keeps a partial reply until the rest arrives, then continues with the next', () => {
    const decoder = new RespDecoder();
    const bytes = Buffer.from(wire + wire);
    const cut = Math.floor(bytes.length * 0.75);
    expect(decoder.push(bytes.subarray(0, cut))).toEqual([expected]);
    expect(decoder.push(bytes.subarray(cut))).toEqual([expected]);
    expect(decoder.push(Buffer.from(':7\r\n'))).toEqual([7]);
  });
});
