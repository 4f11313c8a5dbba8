// How a domain implements its part of the contract: handlers typed against the contract's method
// names of that domain, and a bridge that forwards the domain's service events onto the bus.
import type { EventName, EventPayload, MethodArgs, MethodName, MethodOutput } from '../../src-preload/contract/index';
import type { Services } from '../services';

/** Which transport a call came through (app:info reports it). */
export interface ApiContext {
  readonly transport: 'electron' | 'websocket';
  /**
   * Runs `cleanup` when the caller's connection closes (at once when it already has): state a client holds
   * in a service, such as a debugger's attachment, goes with it. Only transports with a per-client
   * connection (the WebSocket) offer it.
   */
  readonly onClose?: (cleanup: () => void) => void;
}

export type Handler<N extends MethodName> = (input: MethodArgs<N>, ctx: ApiContext) => Promise<MethodOutput<N>> | MethodOutput<N>;

type MethodsOf<D extends string> = Extract<MethodName, `${D}:${string}`>;
export type DomainHandlers<D extends string> = { [N in MethodsOf<D>]: Handler<N> };

export type Publish = <E extends EventName>(name: E, payload: EventPayload<E>) => void;
/** Subscribes to a domain's service events; returns the unsubscribe. */
export type Bridge = (services: Services, publish: Publish) => () => void;

export interface DomainApi {
  readonly domain: string;
  readonly handlers: (services: Services) => Record<string, Handler<never>>;
  readonly bridge: Bridge;
}

const noEvents: Bridge = () => () => undefined;

export function defineApi<D extends string>(domain: D, handlers: (services: Services) => DomainHandlers<D>, bridge: Bridge = noEvents): DomainApi {
  return { domain, handlers: handlers as DomainApi['handlers'], bridge };
}
