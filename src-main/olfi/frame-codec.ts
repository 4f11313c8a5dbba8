// Ol-Fi frame JSON v1 (docs/olfi-frame-v1.md): classification of stream entries and building of frames.
// The Lua twin is lua/packages/bioxen-olfi/src/bioxen/olfi.lua; both must agree on resources/olfi/vectors.json.
import { MESSAGE_TYPES, PRIORITIES, type FrameStatus, type MessageType, type OlFiFrameView as OlFiFrame, type Priority } from '../../src-preload/contract/olfi';
import { findCompound } from './mvoc-library';

export { MESSAGE_TYPES, PRIORITIES, type MessageType, type Priority } from '../../src-preload/contract/olfi';
export type { FrameStatus, OlFiFrameView as OlFiFrame } from '../../src-preload/contract/olfi';

/** The raw `frame` field is refused above this many bytes before any parsing. */
export const MAX_FRAME_BYTES = 16_384;
export const MAX_PAYLOAD_BYTES = 4_096;
export const MAX_ADDRESS_LENGTH = 64;
export const DEFAULT_PREAMBLE = ['ACETOIN', 'ACETOIN'];
export const DEFAULT_TERMINATOR = ['BENZALDEHYDE', 'BENZALDEHYDE'];

export interface FrameClassification {
  status: FrameStatus;
  /** Empty for valid frames; otherwise names the field and what is wrong with it. */
  reason: string;
  /** Present once the frame's shape is valid (valid, checksum-mismatch, unknown-compound, oversized payload). */
  frame?: OlFiFrame;
  /** The checksum the payload really has, when the payload could be read. */
  computedChecksum?: number;
}

const messageTypes = new Set<string>(MESSAGE_TYPES);
const priorities = new Set<string>(PRIORITIES);

/** Sum of the payload's UTF-8 bytes mod 65536 (ol-fi-modem.lua's checksum). */
export function computeChecksum(payload: string): number {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    const code = payload.charCodeAt(i);
    if (code >= 0x80) return utf8Sum(payload);
    sum += code;
  }
  return sum % 65536;
}

function utf8Sum(text: string): number {
  let sum = 0;
  for (const byte of Buffer.from(text, 'utf8')) sum += byte;
  return sum % 65536;
}

/** Classifies one stream entry's `mvoc` and `frame` fields. Never throws. */
export function classifyEntry(mvoc: string | undefined, rawFrame: string | undefined): FrameClassification {
  if (mvoc === undefined) return fail('missing-field', 'entry has no mvoc field');
  if (rawFrame === undefined) return fail('missing-field', 'entry has no frame field');
  const size = rawFrame.length > MAX_FRAME_BYTES / 4 ? Buffer.byteLength(rawFrame, 'utf8') : rawFrame.length;
  if (size > MAX_FRAME_BYTES) return fail('oversized', `frame is ${size} bytes; the limit is ${MAX_FRAME_BYTES}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawFrame);
  } catch (err) {
    return fail('malformed-json', `frame is not valid JSON: ${(err as Error).message}`);
  }
  return classifyFrame(mvoc, parsed);
}

/** Classifies an already-parsed frame value sent under compound `mvoc`. */
export function classifyFrame(mvoc: string, value: unknown): FrameClassification {
  const shape = checkShape(value);
  if (typeof shape === 'object' && 'status' in shape) return shape;
  const frame = shape as OlFiFrame;
  const computedChecksum = computeChecksum(frame.payload);
  // A UTF-16 unit is at most 3 UTF-8 bytes, so short payloads need no byte count.
  const payloadBytes = frame.payload.length * 3 <= MAX_PAYLOAD_BYTES ? 0 : Buffer.byteLength(frame.payload, 'utf8');
  if (payloadBytes > MAX_PAYLOAD_BYTES) {
    return { status: 'oversized', reason: `frame.payload is ${payloadBytes} bytes; the limit is ${MAX_PAYLOAD_BYTES}`, frame, computedChecksum };
  }
  const unknown = unknownCompound(mvoc, frame);
  if (unknown) return { status: 'unknown-compound', reason: unknown, frame, computedChecksum };
  if (frame.checksum !== computedChecksum) {
    return {
      status: 'checksum-mismatch',
      reason: `checksum ${frame.checksum} does not match the payload (expected ${computedChecksum})`,
      frame,
      computedChecksum,
    };
  }
  return { status: 'valid', reason: '', frame, computedChecksum };
}

function fail(status: FrameStatus, reason: string): FrameClassification {
  return { status, reason };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isWord(value: unknown, maxLength: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength;
}

function isUint16(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535;
}

function isCompoundPair(value: unknown): value is string[] {
  return Array.isArray(value) && value.length === 2 && value.every((v) => isWord(v, MAX_ADDRESS_LENGTH));
}

/** Field checks in RFC order; the first failure wins so that TS and Lua report the same reason. */
function checkShape(value: unknown): OlFiFrame | FrameClassification {
  if (!isObject(value)) return fail('invalid-field', 'frame must be a JSON object');
  const f = value;
  if (!('preamble' in f)) return fail('missing-field', 'frame.preamble is missing');
  if (!isCompoundPair(f.preamble)) return fail('invalid-field', 'frame.preamble must be an array of 2 compound names');
  if (!('address' in f)) return fail('missing-field', 'frame.address is missing');
  if (!isWord(f.address, MAX_ADDRESS_LENGTH)) return fail('invalid-field', `frame.address must be a string of 1–${MAX_ADDRESS_LENGTH} characters`);
  if ('source' in f && !isWord(f.source, MAX_ADDRESS_LENGTH)) return fail('invalid-field', `frame.source must be a string of 1–${MAX_ADDRESS_LENGTH} characters`);
  if (!('control' in f)) return fail('missing-field', 'frame.control is missing');
  const control = f.control;
  if (!isObject(control)) return fail('invalid-field', 'frame.control must be an object with type, sequence and priority');
  if (!('type' in control)) return fail('missing-field', 'frame.control.type is missing');
  if (typeof control.type !== 'string' || !messageTypes.has(control.type)) {
    return fail('invalid-field', 'frame.control.type must be a message type such as PING, STATUS_REQUEST or EMERGENCY');
  }
  if (!('sequence' in control)) return fail('missing-field', 'frame.control.sequence is missing');
  if (!isUint16(control.sequence)) return fail('invalid-field', 'frame.control.sequence must be an integer 0–65535');
  if (!('priority' in control)) return fail('missing-field', 'frame.control.priority is missing');
  if (typeof control.priority !== 'string' || !priorities.has(control.priority)) {
    return fail('invalid-field', 'frame.control.priority must be one of emergency, high, normal, low');
  }
  if (!('payload' in f)) return fail('missing-field', 'frame.payload is missing');
  if (typeof f.payload !== 'string') return fail('invalid-field', 'frame.payload must be a string');
  if (!('checksum' in f)) return fail('missing-field', 'frame.checksum is missing');
  if (!isUint16(f.checksum)) return fail('invalid-field', 'frame.checksum must be an integer 0–65535');
  if (!('terminator' in f)) return fail('missing-field', 'frame.terminator is missing');
  if (!isCompoundPair(f.terminator)) return fail('invalid-field', 'frame.terminator must be an array of 2 compound names');
  return f as unknown as OlFiFrame;
}

function unknownCompound(mvoc: string, frame: OlFiFrame): string | undefined {
  if (!findCompound(mvoc)) return `mvoc ${quote(mvoc)} is not in the MVOC library`;
  for (const [field, names] of [['preamble', frame.preamble], ['terminator', frame.terminator]] as const) {
    const index = names.findIndex((n) => !findCompound(n));
    if (index >= 0) return `frame.${field}[${index}] ${quote(names[index]!)} is not in the MVOC library`;
  }
  return undefined;
}

function quote(name: string): string {
  return `"${name.length > 40 ? `${name.slice(0, 40)}…` : name}"`;
}

export interface FrameInput {
  address: string;
  type: MessageType;
  payload?: string;
  source?: string;
  sequence?: number;
  priority?: Priority;
  preamble?: string[];
  terminator?: string[];
}

/** A complete frame with the defaults of docs/olfi-frame-v1.md and a correct checksum. */
export function buildFrame(input: FrameInput): OlFiFrame {
  const payload = input.payload ?? '';
  const frame: OlFiFrame = {
    preamble: input.preamble ?? [...DEFAULT_PREAMBLE],
    address: input.address,
    ...(input.source !== undefined ? { source: input.source } : {}),
    control: { type: input.type, sequence: input.sequence ?? 0, priority: input.priority ?? 'normal' },
    payload,
    checksum: computeChecksum(payload),
    terminator: input.terminator ?? [...DEFAULT_TERMINATOR],
  };
  return frame;
}

