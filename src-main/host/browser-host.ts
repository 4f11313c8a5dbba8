// `bioxen serve`: the renderer build over HTTP and the contract over a WebSocket, for any browser.
// The built files hold no secret and are served to anyone who passes the Host check. The per-launch
// token reaches the page in the URL fragment (never sent to a server) and comes back only when the
// page opens the contract WebSocket, as a subprotocol; that upgrade also needs a same-origin Origin
// header when a browser sends one. Nothing is ever stored in a cookie.
// Without a renderer dir it serves the contract only (the Electron app's socket for local tools such as
// `bioxen dap`): every page request is 404 and no browser page may open the socket.
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { TOKEN_PARAM, WS_PATH } from '../../src-preload/contract/wire';
import type { Api } from '../api/index';
import { assertTokenShape, createAccessToken, tokenFromProtocols, tokenMatches } from './access-token';
import { checkBindAddress, isLoopback } from './bind-address';
import { browserHostCsp, formatHost } from './content-security-policy';
import { ConnectionGuard, DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from './connection-guard';
import { ContractSocketServer, DEFAULT_SOCKET_LIMITS, type SocketLimits } from './contract-socket-server';
import { securityHeaders, sendText, serveStatic } from './static-files';

export interface BrowserHostOptions {
  api: Api;
  /** The built renderer: out/renderer. Absent: the contract WebSocket only, for local tools. */
  rendererDir?: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** True when the user passed --host; required for a non-loopback address. */
  hostExplicit?: boolean;
  token?: string;
  socketLimits?: SocketLimits;
  connectionLimits?: ConnectionLimits;
}

export class RendererMissingError extends Error {
  override readonly name = 'RendererMissingError';
  readonly code = 'unavailable';
}

export function assertRendererBuilt(rendererDir: string): void {
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new RendererMissingError(`the renderer is not built (${join(rendererDir, 'index.html')} is missing) — run \`npm run build\` first`);
  }
}

export class BrowserHost {
  private constructor(
    private readonly server: Server,
    private readonly sockets: ContractSocketServer,
    private readonly guard: ConnectionGuard,
    readonly host: string,
    readonly port: number,
    readonly token: string,
    private readonly servesPages: boolean,
  ) {}

  static async start(options: BrowserHostOptions): Promise<BrowserHost> {
    const host = options.host ?? '127.0.0.1';
    checkBindAddress(host, options.hostExplicit ?? false);
    if (options.rendererDir !== undefined) assertRendererBuilt(options.rendererDir);
    const token = options.token ?? createAccessToken();
    assertTokenShape(token);
    const sockets = new ContractSocketServer(options.api, options.socketLimits ?? DEFAULT_SOCKET_LIMITS);
    // Node checks these timeouts every connectionsCheckingInterval (30 s by default): too late for a flood.
    const server = createServer({ connectionsCheckingInterval: 1_000 });
    server.requestTimeout = 30_000;
    server.headersTimeout = 5_000;
    server.keepAliveTimeout = 2_000;
    // A client that stops reading a response is cut off; an accepted WebSocket turns this off (ws does).
    server.timeout = 10_000;
    const guard = new ConnectionGuard(options.connectionLimits ?? DEFAULT_CONNECTION_LIMITS);
    guard.attach(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch(async (err: NodeJS.ErrnoException) => {
      await sockets.close();
      throw err.code === 'EADDRINUSE' ? new Error(`port ${options.port} on ${host} is already in use — pass another --port, or --port 0 for a free one`) : err;
    });
    const self = new BrowserHost(server, sockets, guard, host, (server.address() as AddressInfo).port, token, options.rendererDir !== undefined);
    server.on('request', (req, res) => void self.onRequest(req, res, options.rendererDir));
    server.on('upgrade', (req, socket, head) => self.onUpgrade(req, socket, head));
    return self;
  }

  /** The URL to open: the token is in the fragment, which the browser keeps to itself. */
  get url(): string {
    return `${this.origin}/#${TOKEN_PARAM}=${this.token}`;
  }

  /** The page's origin, with no secret in it. */
  get origin(): string {
    const shown = this.host === '0.0.0.0' || this.host === '::' ? '127.0.0.1' : this.host;
    return `http://${formatHost(shown)}:${this.port}`;
  }

  get connectedPages(): number {
    return this.sockets.clientCount;
  }

  /** Connections that are not (yet) an authenticated WebSocket. */
  get pendingConnections(): number {
    return this.guard.size;
  }

  async close(): Promise<void> {
    await this.sockets.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse, rendererDir: string | undefined): Promise<void> {
    const url = parseUrl(req.url);
    const pageHost = this.pageHost(req.headers.host);
    if (!url || !pageHost) return sendText(res, 400, 'bad request', securityHeaders(browserHostCsp(`${formatHost(this.host)}:${this.port}`)));
    const headers = securityHeaders(browserHostCsp(pageHost));
    if (url.pathname === WS_PATH) return sendText(res, 426, 'this path is the contract WebSocket', headers);
    if (rendererDir === undefined) return sendText(res, 404, 'not found: this workbench serves its contract to local tools only', headers);
    try {
      await serveStatic(rendererDir, req, res, url.pathname, headers);
    } catch {
      res.destroy();
    }
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const url = parseUrl(req.url);
    if (!url || url.pathname !== WS_PATH) return refuse(socket, 404, 'Not Found');
    if (!this.pageHost(req.headers.host)) return refuse(socket, 400, 'Bad Request');
    if (!tokenMatches(this.token, tokenFromProtocols(req.headers['sec-websocket-protocol']))) return refuse(socket, 401, 'Unauthorized');
    // Browsers always send Origin on a WebSocket; a page from another site must not drive the workbench,
    // and with no renderer served no page at all may.
    const origin = req.headers.origin;
    if (origin !== undefined && (!this.servesPages || origin !== `http://${req.headers.host}`)) return refuse(socket, 403, 'Forbidden');
    this.guard.release(socket as Socket);
    this.sockets.accept(req, socket, head);
  }

  /**
   * The page's `host:port` from its Host header, or null when it is not one we answer to. Guards against
   * DNS rebinding: on a loopback bind only loopback names with our port are accepted. The result goes
   * into the CSP, so it is also held to plain host-name characters.
   */
  private pageHost(hostHeader: string | undefined): string | null {
    if (!hostHeader) return null;
    let parsed: URL;
    try {
      parsed = new URL(`http://${hostHeader}`);
    } catch {
      return null;
    }
    if ((parsed.port || '80') !== String(this.port) || !/^[A-Za-z0-9.\-[\]:]+$/.test(parsed.host)) return null;
    if (isLoopback(this.host) && !isLoopback(parsed.hostname.replace(/^\[|\]$/g, ''))) return null;
    return parsed.host;
  }
}

function parseUrl(raw: string | undefined): URL | null {
  try {
    return new URL(raw ?? '/', 'http://host.invalid');
  } catch {
    return null;
  }
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
