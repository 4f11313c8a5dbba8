// The contract over Electron IPC: one ipcMain.handle per contract method, each refusing callers
// that are not the main frame of a workbench window showing our renderer; events are sent to every
// workbench window on the channel named after the event.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { methodNames, type Envelope } from '../../src-preload/contract/index';
import type { Api } from '../api/index';
import { isAppRendererUrl } from './app-protocol';
import type { WindowSource } from './secure-window';

export interface TrustedSenders {
  /** The web contents of every open workbench window. */
  windows(): readonly WebContents[];
  /** True for the URL our renderer is served from (dev server origin or app://bioxen/index.html). */
  isRendererUrl(url: string): boolean;
}

export function rendererUrlMatcher(renderer: WindowSource['renderer']): (url: string) => boolean {
  if ('url' in renderer) {
    const origin = new URL(renderer.url).origin;
    return (url) => safeUrl(url)?.origin === origin;
  }
  return isAppRendererUrl;
}

/** Why a call is refused, or null when it comes from a trusted frame. */
export function refuseSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, trust: TrustedSenders): string | null {
  const frame = event.senderFrame;
  if (!frame) return 'the calling frame is gone';
  // Compared by id: Electron does not promise one JS wrapper object per web contents or frame.
  if (!trust.windows().some((w) => w.id === event.sender.id)) return 'calls are accepted only from workbench windows';
  const main = event.sender.mainFrame;
  if (frame.parent !== null || frame.processId !== main.processId || frame.routingId !== main.routingId) {
    return 'only the main frame of a workbench window may call the workbench';
  }
  if (!trust.isRendererUrl(frame.url)) return `calls from ${frame.url || 'an unknown page'} are refused`;
  return null;
}

/** Registers the handlers and the event fan-out; returns the function that removes both. */
export function registerIpcHandlers(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, api: Api, trust: TrustedSenders): () => void {
  for (const name of methodNames) {
    ipcMain.handle(name, async (event, input: unknown): Promise<Envelope<unknown>> => {
      const refusal = refuseSender(event, trust);
      if (refusal) return { ok: false, error: { code: 'forbidden', message: `${name}: ${refusal}` } };
      return api.invoke(name, input, { transport: 'electron' });
    });
  }
  const stopEvents = api.onEvent((name, payload) => {
    for (const contents of trust.windows()) if (!contents.isDestroyed()) contents.send(name, payload);
  });
  return () => {
    stopEvents();
    for (const name of methodNames) ipcMain.removeHandler(name);
  };
}

function safeUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
