// The dispatcher both transports call: validates input, runs the domain handler, validates output,
// and answers with an envelope. It also owns the event bus that domains publish into and transports
// fan out to their windows or sockets.
import { contract, isMethodName, type EventName, type Envelope } from '../../src-preload/contract/index';
import type { Services } from '../services';
import { describeZodIssues, toContractError, type Logger } from './contract-errors';
import type { ApiContext, DomainApi, Publish } from './define-api';

type AnyHandler = (input: unknown, ctx: ApiContext) => unknown;
export type EventListener = (name: EventName, payload: unknown) => void;

export class Api {
  private readonly handlers = new Map<string, AnyHandler>();
  private readonly listeners = new Set<EventListener>();
  private readonly unbridges: (() => void)[] = [];

  constructor(
    services: Services,
    domains: readonly DomainApi[],
    private readonly log: Logger = (m) => console.error(m),
  ) {
    for (const domain of domains) {
      for (const [name, handler] of Object.entries(domain.handlers(services))) this.handlers.set(name, handler as AnyHandler);
    }
    const publish: Publish = (name, payload) => this.publish(name, payload);
    for (const domain of domains) this.unbridges.push(domain.bridge(services, publish));
  }

  /** Names that have a handler; a test checks this covers the whole contract. */
  get implemented(): string[] {
    return [...this.handlers.keys()];
  }

  async invoke(name: unknown, rawInput: unknown, ctx: ApiContext): Promise<Envelope<unknown>> {
    if (!isMethodName(name)) {
      return { ok: false, error: { code: 'not_found', message: `unknown method ${JSON.stringify(name)} — the UI and the workbench versions may differ; reload the window` } };
    }
    const handler = this.handlers.get(name);
    if (!handler) return { ok: false, error: { code: 'unavailable', message: `${name} is not available in this build of the workbench` } };
    const def = contract.methods[name];
    const input = def.input.safeParse(rawInput);
    if (!input.success) return { ok: false, error: { code: 'invalid_input', message: `${name}: ${describeZodIssues(input.error.issues)}` } };
    let value: unknown;
    try {
      value = await handler(input.data, ctx);
    } catch (err) {
      return { ok: false, error: toContractError(err, name, this.log) };
    }
    const output = def.output.safeParse(value);
    if (!output.success) {
      this.log(`[api] ${name} returned a value outside the contract: ${describeZodIssues(output.error.issues)}`);
      return { ok: false, error: { code: 'internal', message: `${name} produced an invalid result (details are in the workbench log)` } };
    }
    return { ok: true, value: output.data };
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Unsubscribes from every service; listeners hear nothing afterwards. */
  dispose(): void {
    for (const unbridge of this.unbridges.splice(0)) unbridge();
    this.listeners.clear();
  }

  private publish(name: EventName, payload: unknown): void {
    const checked = contract.events[name].payload.safeParse(payload);
    if (!checked.success) {
      this.log(`[api] dropped ${name} event outside the contract: ${describeZodIssues(checked.error.issues)}`);
      return;
    }
    for (const listener of this.listeners) {
      try {
        listener(name, checked.data);
      } catch (err) {
        this.log(`[api] ${name} listener failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}
