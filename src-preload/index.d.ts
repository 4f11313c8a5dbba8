// What the sandboxed preload (preload.ts) puts on the page's window: the one declaration of `window.bioxen`.
// Absent in a browser, where the renderer talks to the browser host over a WebSocket instead.
import type { BioxenBridge } from './contract/index';

declare global {
  interface Window {
    bioxen?: BioxenBridge;
  }
}
