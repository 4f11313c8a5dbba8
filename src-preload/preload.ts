// Sandboxed preload: exposes `window.bioxen = { invoke, on }` and nothing else. Only names in the
// contract get through; anything else is refused here, before it reaches IPC.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { BioxenBridge } from './contract/index';
import { isEventName, isMethodName } from './contract/names';

const bridge: BioxenBridge = {
  invoke(name, input) {
    if (!isMethodName(name)) {
      return Promise.resolve({ ok: false, error: { code: 'not_found', message: `unknown method ${JSON.stringify(name)} — not in the workbench contract` } }) as never;
    }
    return ipcRenderer.invoke(name, input);
  },
  on(name, listener) {
    if (!isEventName(name)) throw new Error(`unknown event ${JSON.stringify(name)} — not in the workbench contract`);
    if (typeof listener !== 'function') throw new Error(`bioxen.on("${name}", listener): listener must be a function`);
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload as never);
    ipcRenderer.on(name, forward);
    return () => void ipcRenderer.removeListener(name, forward);
  },
};

contextBridge.exposeInMainWorld('bioxen', bridge);
