// The renderer's typed contract client. Everything in the UI calls services through this, never
// through a transport directly, so it does not matter whether the window runs in Electron or a browser.
import type { ContractError, ErrorCode, EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../src-preload/contract';
import type { ConnectionStatus, Transport } from './transport';

/** A service answered `{ok:false}`: carries the contract's stable code and a message for people. */
export class BridgeError extends Error {
  readonly code: ErrorCode;

  readonly method: string;

  constructor(method: string, error: ContractError) {
    super(error.message);
    this.name = 'BridgeError';
    this.code = error.code;
    this.method = method;
  }
}

export class BridgeClient {
  constructor(private readonly transport: Transport) {}

  get kind() {
    return this.transport.kind;
  }

  get status(): ConnectionStatus {
    return this.transport.status;
  }

  /** Resolves with the method's output or rejects with a BridgeError. */
  async invoke<N extends MethodName>(name: N, input: MethodInput<N>): Promise<MethodOutput<N>> {
    const envelope = await this.transport.invoke(name, input);
    if (!envelope.ok) throw new BridgeError(name, envelope.error);
    return envelope.value as MethodOutput<N>;
  }

  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void {
    return this.transport.on(name, listener as (payload: unknown) => void);
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    return this.transport.onStatus(listener);
  }

  dispose() {
    this.transport.dispose();
  }
}

/** A message for the UI from anything a call can throw. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
