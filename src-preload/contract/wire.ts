// WebSocket frames of the browser host. One JSON object per message, each direction.
import { z } from 'zod';
import type { ContractError } from './define';

/** Client → host: call one contract method. `id` is echoed in the reply. */
export const wsRequestSchema = z.object({
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  method: z.string().max(100),
  input: z.unknown(),
});
export type WsRequest = z.infer<typeof wsRequestSchema>;

/** Host → client: the reply to request `id` (id null when the frame itself could not be read). */
export type WsReply = { id: number | null; ok: true; value: unknown } | { id: number | null; ok: false; error: ContractError };

/** Host → client: a contract event, pushed to every connected page. */
export type WsEvent = { event: string; payload: unknown };

/**
 * Name of the fragment parameter carrying the per-launch token on the page URL (`/#token=T`). A fragment
 * is never sent to a server; the page moves it to sessionStorage and out of the address bar.
 */
export const TOKEN_PARAM = 'token';
/** The contract's WebSocket subprotocol: the one the host selects, so it never echoes the token back. */
export const WS_PROTOCOL = 'bioxen.v1';
/** The token travels as a second offered subprotocol: a header, never in a URL that lands in logs or history. */
export const WS_TOKEN_PROTOCOL_PREFIX = 'bioxen.token.';

/** The subprotocols a client offers when opening the contract WebSocket. */
export function webSocketProtocols(token: string): string[] {
  return [WS_PROTOCOL, `${WS_TOKEN_PROTOCOL_PREFIX}${token}`];
}
/** Path of the contract WebSocket on the host. */
export const WS_PATH = '/bioxen-ws';
/** Largest frame the host accepts, in bytes. */
export const WS_MAX_FRAME_BYTES = 8 * 1024 * 1024;
