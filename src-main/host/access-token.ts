// The per-launch secret that lets a page talk to the browser host. It reaches the page in the URL
// fragment and comes back only as a WebSocket subprotocol; no cookie, no query string. Compared in
// constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { WS_TOKEN_PROTOCOL_PREFIX } from '../../src-preload/contract/wire';

/** Characters a WebSocket subprotocol may carry (RFC 6455 token) that also survive a URL fragment as is. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{8,256}$/;

export function createAccessToken(): string {
  return randomBytes(24).toString('base64url');
}

export function assertTokenShape(token: string): void {
  if (!TOKEN_SHAPE.test(token)) throw new Error('the access token must be 8–256 characters of A–Z, a–z, 0–9, "_" or "-"');
}

export function tokenMatches(expected: string, candidate: string | null | undefined): boolean {
  if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 256) return false;
  // Hashing first gives both sides the same length, so timingSafeEqual never throws or leaks the length.
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(candidate).digest();
  return timingSafeEqual(a, b);
}

/** The token a client offered in Sec-WebSocket-Protocol, or null when it offered none. */
export function tokenFromProtocols(header: string | undefined): string | null {
  for (const offered of (header ?? '').split(',')) {
    const protocol = offered.trim();
    if (protocol.startsWith(WS_TOKEN_PROTOCOL_PREFIX)) return protocol.slice(WS_TOKEN_PROTOCOL_PREFIX.length);
  }
  return null;
}
