// Electron IPC through the preload's allow-listed `window.bioxen`. IPC has no connection to lose,
// so the status is always open.
import type { ConnectionStatus, PreloadBridge, Transport } from './transport';

export class ElectronTransport implements Transport {
  readonly kind = 'electron';
  readonly status: ConnectionStatus = 'open';

  constructor(private readonly bridge: PreloadBridge) {}

  invoke(name: string, input: unknown) {
    return this.bridge.invoke(name, input);
  }

  on(event: string, listener: (payload: unknown) => void) {
    return this.bridge.on(event, listener);
  }

  onStatus(listener: (status: ConnectionStatus) => void) {
    listener('open');
    return () => {};
  }

  dispose() {}
}
