// Host/port checks shared by the bridge, the simulator and networked VMs.
import { isIP } from 'node:net';

export const DEFAULT_HYPERVISOR_HOST = '127.0.0.1';
export const DEFAULT_HYPERVISOR_PORT = 12345;

/** Unprivileged ports only: a VM or simulator never needs root to listen. */
export const USER_PORT_MIN = 1024;
export const USER_PORT_MAX = 65535;

export class EndpointError extends Error {
  override readonly name = 'EndpointError';
  readonly code = 'invalid_input';
}

export function validatePort(port: number, what = 'port', min = 1): number {
  if (!Number.isInteger(port) || port < min || port > USER_PORT_MAX) {
    throw new EndpointError(`${what} ${port} is out of range: use a whole number from ${min} to ${USER_PORT_MAX}`);
  }
  return port;
}

/** Ports a networked VM or the simulator may listen on. */
export function validateUserPort(port: number, what = 'port'): number {
  return validatePort(port, what, USER_PORT_MIN);
}

const HOSTNAME = /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

export function validateHost(host: string, what = 'host'): string {
  if (isIP(host) || HOSTNAME.test(host)) return host;
  throw new EndpointError(`${what} "${host}" is not an IP address or host name (example: 127.0.0.1)`);
}

export function validateEndpoint(host: string, port: number): void {
  validateHost(host, 'hypervisor host');
  validatePort(port, 'hypervisor port');
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Parses "host:port" or "port" (IPv6 hosts in brackets: "[::1]:12345"). */
export function parseEndpoint(text: string, defaultHost = DEFAULT_HYPERVISOR_HOST): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text) ?? /^()()(\d+)$/.exec(text);
  if (!match) throw new EndpointError(`"${text}" is not host:port (example: 127.0.0.1:12345)`);
  const host = match[1] || match[2] || defaultHost;
  const port = Number(match[3]);
  validateEndpoint(host, port);
  return { host, port };
}

/** Accepts the settings' endpoint URL (tcp://, http://, ws:// … host:port) or plain host:port. */
export function endpointFromSetting(value: string): { host: string; port: number } {
  if (!value.includes('://')) return parseEndpoint(value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new EndpointError(`hypervisor endpoint "${value}" is not a URL (example: tcp://127.0.0.1:12345)`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port ? Number(url.port) : DEFAULT_HYPERVISOR_PORT;
  validateEndpoint(host, port);
  return { host, port };
}
