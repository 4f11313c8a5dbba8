// WebSocket frames of the browser host. One JSON object per message, each direction.
import { z } from 'zod';
import { errorSchema } from './define';

/** Client → host: call one contract method. `id` is echoed in the reply. */
export const wsRequestSchema = z.object({
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  method: z.string().max(100),
  input: z.unknown(),
});
export type WsRequest = z.infer<typeof wsRequestSchema>;

/** Host → client: the reply to request `id` (id null when the frame itself could not be read). */
export type WsReply = { id: number | null; ok: true; value: unknown } | { id: number | null; ok: false; error: z.infer<typeof errorSchema> };

/** Host → client: a contract event, pushed to every connected page. */
export type WsEvent = { event: string; payload: unknown };

/** Name of the query parameter (page URL) carrying the per-launch token; the WS URL takes it the same way. */
export const TOKEN_PARAM = 'token';
/** Path of the contract WebSocket on the host. */
export const WS_PATH = '/bioxen-ws';
/** Largest frame the host accepts, in bytes. */
export const WS_MAX_FRAME_BYTES = 8 * 1024 * 1024;
