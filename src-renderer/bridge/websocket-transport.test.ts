// The transport's own promises, checked over a real socket: a small `ws` server plays the host
// so the test can drop the connection mid-call or send a malformed reply.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket, WebSocketServer } from 'ws';
import { WebSocketTransport } from './websocket-transport';

let server: WebSocketServer | null = null;
let transport: WebSocketTransport | null = null;

function startServer(onMessage: (socket: NodeWebSocket, frame: { id: number; method: string; input: unknown }) => void) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  wss.on('connection', (socket) => socket.on('message', (data) => onMessage(socket, JSON.parse(String(data)))));
  server = wss;
  return new Promise<string>((resolve) => wss.once('listening', () => resolve(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`)));
}

function connect(url: string) {
  transport = new WebSocketTransport({ url, createSocket: (socketUrl) => new NodeWebSocket(socketUrl) as unknown as WebSocket });
  return transport;
}

afterEach(async () => {
  transport?.dispose();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

describe('WebSocket transport', () => {
  it('sends calls made before the socket opened once it opens, and matches replies by id', async () => {
    const url = await startServer((socket, frame) => socket.send(JSON.stringify({ id: frame.id, ok: true, value: { echo: frame.input } })));
    const client = connect(url);
    const replies = await Promise.all([client.invoke('app:info', { n: 1 }), client.invoke('app:info', { n: 2 })]);
    expect(replies).toEqual([
      { ok: true, value: { echo: { n: 1 } } },
      { ok: true, value: { echo: { n: 2 } } },
    ]);
  });

  it('delivers pushed events to their listeners only', async () => {
    const url = await startServer((socket, frame) => {
      socket.send(JSON.stringify({ event: 'sessions:changed', payload: { id: 'a', info: null } }));
      socket.send(JSON.stringify({ id: frame.id, ok: true, value: null }));
    });
    const client = connect(url);
    const changed: unknown[] = [];
    const output: unknown[] = [];
    client.on('sessions:changed', (payload) => changed.push(payload));
    client.on('sessions:output', (payload) => output.push(payload));
    await client.invoke('app:info', {});
    expect(changed).toEqual([{ id: 'a', info: null }]);
    expect(output).toEqual([]);
  });

  it('fails a call in flight with `unavailable` when the connection drops, then reconnects', async () => {
    let calls = 0;
    const url = await startServer((socket, frame) => {
      if (++calls === 1) socket.terminate();
      else socket.send(JSON.stringify({ id: frame.id, ok: true, value: 'after reconnect' }));
    });
    const client = connect(url);
    const statuses: string[] = [];
    client.onStatus((status) => statuses.push(status));
    const lost = await client.invoke('sessions:run', {});
    expect(lost).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringMatching(/connection .* lost/) } });
    expect(await client.invoke('app:info', {})).toEqual({ ok: true, value: 'after reconnect' });
    expect(statuses).toEqual(expect.arrayContaining(['open', 'closed']));
    expect(statuses.at(-1)).toBe('open');
  });

  it('turns a malformed error reply into a readable internal error', async () => {
    const url = await startServer((socket, frame) => socket.send(JSON.stringify({ id: frame.id, ok: false, error: 'boom' })));
    expect(await connect(url).invoke('app:info', {})).toEqual({
      ok: false,
      error: { code: 'internal', message: 'the workbench host sent a malformed error reply' },
    });
  });
});
