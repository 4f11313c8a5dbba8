// One workbench per user: a second launch focuses the running one instead of starting a second set
// of Lua VMs and an embedded Redis on the same data dir.
import type { App } from 'electron';

/** Returns false when another instance holds the lock (this one should quit at once). */
export function claimSingleInstance(app: Pick<App, 'requestSingleInstanceLock' | 'on'>, onSecondLaunch: () => void): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', () => onSecondLaunch());
  return true;
}
