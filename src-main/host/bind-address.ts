// Which addresses the browser host may listen on without the user asking for it explicitly.
import { isIP } from 'node:net';

export class BindError extends Error {
  override readonly name = 'BindError';
  readonly code = 'forbidden';
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/**
 * The host serves a Lua runner to anyone holding the token, so only loopback binds are allowed
 * implicitly; any other address needs `--host` on the command line.
 */
export function checkBindAddress(host: string, explicit: boolean): void {
  if (isLoopback(host) || explicit) return;
  throw new BindError(`refusing to listen on ${host}: it is reachable from other machines. Pass --host ${host} explicitly to allow it, or use --host 127.0.0.1`);
}
