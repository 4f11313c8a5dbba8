// How a tool on this machine (`bioxen dap` attaching to a session) finds a running workbench: the
// workbench records its contract WebSocket's port and access token in <data dir>/workbench-endpoint.json,
// created 0600 at open in the 0700 data dir and removed when it stops. Only this user can read the
// token, and the socket refuses anyone without it.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { BrowserHost } from './browser-host';
import { pidExists } from '../process/pid';

export const ENDPOINT_FILE = 'workbench-endpoint.json';

const endpointSchema = z.object({
  /** The workbench's process: a record whose process is gone is stale. */
  pid: z.number().int().min(1),
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65_535),
  token: z.string().min(8).max(256),
  /** Which workbench wrote it (said in errors). */
  kind: z.enum(['electron', 'browser']),
});
export type WorkbenchEndpoint = z.output<typeof endpointSchema>;

export class EndpointError extends Error {
  override readonly name = 'EndpointError';
}

export function endpointFile(dataDir: string): string {
  return join(dataDir, ENDPOINT_FILE);
}

/** Records a running host's contract socket for local tools; the returned function removes the record. */
export function publishHost(dataDir: string, host: Pick<BrowserHost, 'origin' | 'port' | 'token'>, kind: WorkbenchEndpoint['kind']): () => void {
  // The origin names a wildcard bind by its loopback address: a local tool connects there.
  const hostname = new URL(host.origin).hostname.replace(/^\[|\]$/g, '');
  return publishEndpoint(dataDir, { pid: process.pid, host: hostname, port: host.port, token: host.token, kind });
}

/** Records the endpoint; the returned function removes the record, unless another workbench has replaced it since. */
export function publishEndpoint(dataDir: string, endpoint: WorkbenchEndpoint): () => void {
  const file = endpointFile(dataDir);
  const draft = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(draft, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, JSON.stringify(endpoint));
  } finally {
    closeSync(fd);
  }
  renameSync(draft, file);
  return () => {
    try {
      if (readEndpoint(dataDir).token !== endpoint.token) return;
    } catch {
      return;
    }
    rmSync(file, { force: true });
  };
}

/** The running workbench of a data dir, or an error that says why there is none and what to do. */
export function readEndpoint(dataDir: string): WorkbenchEndpoint {
  const file = endpointFile(dataDir);
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new EndpointError(`no workbench is running with the data dir ${dataDir} (it has no ${ENDPOINT_FILE}) — start the workbench (npm start, or bioxen serve), or name its data dir with "dataDir"`);
    }
    if (code === 'ELOOP') throw new EndpointError(`${file} is a symbolic link — delete it and restart the workbench`);
    throw new EndpointError(`cannot read ${file}: ${(err as Error).message}`);
  }
  let text: string;
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new EndpointError(`${file} is not a file — delete it and restart the workbench`);
    if (process.getuid && stat.uid !== process.getuid()) throw new EndpointError(`${file} belongs to another user (uid ${stat.uid}) — delete it and restart the workbench`);
    // Its token may have been read by others: refuse it rather than use a secret that is no longer one.
    if (stat.mode & 0o077) throw new EndpointError(`${file} is readable by other users (mode ${(stat.mode & 0o777).toString(8)}) — delete it and restart the workbench, which writes a new token`);
    text = readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
  let parsed;
  try {
    parsed = endpointSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) throw new EndpointError(`${file} is not a workbench endpoint record — delete it and restart the workbench`);
  if (!pidExists(parsed.data.pid)) {
    throw new EndpointError(`the workbench recorded in ${file} (pid ${parsed.data.pid}) is no longer running — start it again (npm start, or bioxen serve)`);
  }
  return parsed.data;
}

