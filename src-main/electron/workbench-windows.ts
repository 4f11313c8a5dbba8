// The open workbench windows: created through the secure factory, forgotten when closed. The IPC
// bridge trusts exactly these.
import type { BrowserWindow, WebContents } from 'electron';
import type { TrustedSenders } from './ipc-bridge';
import { rendererUrlMatcher } from './ipc-bridge';
import { createSecureWindow, type WindowSource } from './secure-window';

export class WorkbenchWindows implements TrustedSenders {
  private readonly open = new Set<BrowserWindow>();
  readonly isRendererUrl: (url: string) => boolean;

  constructor(private readonly source: WindowSource) {
    this.isRendererUrl = rendererUrlMatcher(source.renderer);
  }

  create(): BrowserWindow {
    const win = createSecureWindow(this.source);
    this.open.add(win);
    win.on('closed', () => this.open.delete(win));
    return win;
  }

  windows(): WebContents[] {
    return [...this.open].filter((w) => !w.isDestroyed()).map((w) => w.webContents);
  }

  /** Brings an existing window forward (a second launch, the dock icon), or opens one. */
  focus(): void {
    const win = [...this.open].find((w) => !w.isDestroyed());
    if (!win) return void this.create();
    if (win.isMinimized()) win.restore();
    win.focus();
  }

  focused(): BrowserWindow | undefined {
    return [...this.open].find((w) => !w.isDestroyed() && w.isFocused());
  }
}
