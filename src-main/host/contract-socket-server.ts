// The contract over WebSocket: one JSON request per frame, one reply per request, events pushed to
// every connected page. Authentication happens before the upgrade (see browser-host.ts); this
// class only ever sees sockets that passed it.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { ContractError } from '../../src-preload/contract/define';
import { WS_MAX_FRAME_BYTES, WS_PROTOCOL, wsRequestSchema, type WsReply } from '../../src-preload/contract/wire';
import type { Api, ApiContext } from '../api/index';
import { describeZodIssues } from '../api/contract-errors';

export interface SocketLimits {
  /** Pages connected at once. */
  maxClients: number;
  /** Requests one socket may have in flight. */
  maxInFlight: number;
  /** A page that reads slower than events arrive is disconnected past this much queued data (it re-hydrates on reconnect). */
  maxBufferedBytes: number;
}

export const DEFAULT_SOCKET_LIMITS: SocketLimits = { maxClients: 32, maxInFlight: 64, maxBufferedBytes: 32 * 1024 * 1024 };

export class ContractSocketServer {
  // ws rejects frames above maxPayload by closing the socket; frames between the contract's limit
  // and this hard cap still get a readable error envelope.
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: 2 * WS_MAX_FRAME_BYTES,
    perMessageDeflate: false,
    // Select the contract's protocol, never the token one: the reply must not carry the secret back.
    handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  private readonly inFlight = new WeakMap<WebSocket, number>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly api: Api,
    private readonly limits: SocketLimits = DEFAULT_SOCKET_LIMITS,
  ) {
    this.unsubscribe = api.onEvent((event, payload) => this.broadcast(JSON.stringify({ event, payload })));
  }

  get clientCount(): number {
    return this.wss.clients.size;
  }

  /** Completes an already authenticated upgrade, or refuses it when too many pages are connected. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.wss.clients.size >= this.limits.maxClients) {
      socket.end(`HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\ntoo many pages connected (${this.limits.maxClients}) — close some tabs\n`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws));
  }

  /** Says goodbye to every page, and cuts off those that do not answer within graceMs. */
  async close(graceMs = 1000): Promise<void> {
    this.unsubscribe();
    const open = [...this.wss.clients];
    for (const ws of open) ws.close(1001, 'the workbench is shutting down');
    await Promise.race([
      Promise.all(open.map((ws) => (ws.readyState === ws.CLOSED ? undefined : new Promise((r) => ws.once('close', r))))),
      new Promise((r) => setTimeout(r, graceMs).unref()),
    ]);
    for (const ws of open) ws.terminate();
    this.wss.close();
  }

  private attach(ws: WebSocket): void {
    this.inFlight.set(ws, 0);
    const ctx: ApiContext = {
      transport: 'websocket',
      onClose: (cleanup) => (ws.readyState === ws.CLOSED ? cleanup() : void ws.once('close', cleanup)),
    };
    ws.on('message', (data, isBinary) => void this.onFrame(ws, ctx, data, isBinary));
    ws.on('error', () => ws.terminate());
  }

  private async onFrame(ws: WebSocket, ctx: ApiContext, data: RawData, isBinary: boolean): Promise<void> {
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (isBinary) return this.reply(ws, { id: null, ok: false, error: invalid('binary frames are not accepted — send JSON text frames') });
    if (bytes.length > WS_MAX_FRAME_BYTES) {
      return this.reply(ws, { id: null, ok: false, error: { code: 'limit_exceeded', message: `frame of ${bytes.length} bytes exceeds the ${WS_MAX_FRAME_BYTES}-byte limit — send less code or data per call` } });
    }
    let frame: unknown;
    try {
      frame = JSON.parse(bytes.toString('utf8'));
    } catch {
      return this.reply(ws, { id: null, ok: false, error: invalid('frame is not valid JSON — send {"id", "method", "input"}') });
    }
    const request = wsRequestSchema.safeParse(frame);
    if (!request.success) {
      const id = typeof (frame as { id?: unknown })?.id === 'number' ? (frame as { id: number }).id : null;
      return this.reply(ws, { id, ok: false, error: invalid(`bad request frame: ${describeZodIssues(request.error.issues)}`) });
    }
    const { id, method, input } = request.data;
    const busy = this.inFlight.get(ws) ?? 0;
    if (busy >= this.limits.maxInFlight) {
      return this.reply(ws, { id, ok: false, error: { code: 'limit_exceeded', message: `more than ${this.limits.maxInFlight} calls in flight — wait for replies before sending more` } });
    }
    this.inFlight.set(ws, busy + 1);
    try {
      this.reply(ws, { id, ...(await this.api.invoke(method, input, ctx)) });
    } finally {
      this.inFlight.set(ws, (this.inFlight.get(ws) ?? 1) - 1);
    }
  }

  private reply(ws: WebSocket, reply: WsReply): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
  }

  private broadcast(frame: string): void {
    for (const ws of this.wss.clients) {
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount > this.limits.maxBufferedBytes) {
        // close() would queue behind the backlog; terminate frees it now and the page re-hydrates on reconnect.
        ws.terminate();
        continue;
      }
      ws.send(frame);
    }
  }
}

function invalid(message: string): ContractError {
  return { code: 'invalid_input', message };
}
