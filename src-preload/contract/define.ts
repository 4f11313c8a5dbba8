// Building blocks of the UI ↔ services contract. Each domain file (sessions.ts, packages.ts, olfi.ts …)
// declares its methods and events with these helpers; index.ts merges them into one contract from
// which the preload allow-list, the IPC/WebSocket handlers and the renderer client are all derived.
import { z } from 'zod';

export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly kind: 'method';
  readonly input: I;
  readonly output: O;
  readonly description: string;
  /**
   * One call, streamed: while the call runs, what it produces arrives as this event (keyed by the payload's `id`,
   * the call's `id`), and the reply only closes the stream (how it ended, which part of the stream was its own).
   */
  readonly streams?: string;
}

export interface EventDef<P extends z.ZodType = z.ZodType> {
  readonly kind: 'event';
  readonly payload: P;
  readonly description: string;
}

export function method<I extends z.ZodType, O extends z.ZodType>(description: string, input: I, output: O, options: { streams?: string } = {}): MethodDef<I, O> {
  return { kind: 'method', input, output, description, ...options };
}

export function event<P extends z.ZodType>(description: string, payload: P): EventDef<P> {
  return { kind: 'event', payload, description };
}

/** Stable error codes the UI can branch on; messages are for people. */
export const ERROR_CODES = [
  'invalid_input',
  'not_found',
  'already_exists',
  'conflict',
  'limit_exceeded',
  'lua_error',
  'unavailable',
  'forbidden',
  'timeout',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const errorSchema = z.object({ code: z.enum(ERROR_CODES), message: z.string() });
export type ContractError = z.infer<typeof errorSchema>;

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ContractError };

/** Method names are `domain:verb`; event names `domain:noun` — both are also the IPC channel names. */
export const NAME_PATTERN = /^[a-z][a-zA-Z]*:[a-z][a-zA-Z]*$/;
