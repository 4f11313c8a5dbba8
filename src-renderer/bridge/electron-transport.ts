// Electron IPC through the preload's allow-listed `window.bioxen`. IPC has no connection to lose,
// so the status is always open.
import type { BioxenBridge, EventName, MethodName } from '../../src-preload/contract';
import type { ConnectionStatus, Transport } from './transport';

export class ElectronTransport implements Transport {
  readonly kind = 'electron';
  readonly status: ConnectionStatus = 'open';

  constructor(private readonly bridge: BioxenBridge) {}

  // The client above is typed by the contract; this layer only carries names and payloads.
  invoke(name: string, input: unknown) {
    return this.bridge.invoke(name as MethodName, input as never);
  }

  on(event: string, listener: (payload: unknown) => void) {
    return this.bridge.on(event as EventName, listener);
  }

  onStatus(listener: (status: ConnectionStatus) => void) {
    listener('open');
    return () => {};
  }

  dispose() {}
}
