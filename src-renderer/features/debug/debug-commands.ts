// What the debug keys and buttons do for the active session: F5 starts the script under the debugger
// or continues a stopped run; the steps act on a stopped run; Shift+F5 ends the run.
import { scriptDocuments } from '../../monaco';
import { debugStore, type Resume } from '../../stores/debug';
import { canRun, sessionsStore } from '../../stores/sessions';

/** Runs the session's whole script with the debugger (a runtime error is placed at its line). */
export async function debugInSession(sessionId: string) {
  const runnable = scriptDocuments.runnable(sessionId, 'buffer');
  if (!runnable || !runnable.code.trim()) return;
  const result = await debugStore.getState().run(sessionId, runnable.code, runnable.chunkName);
  if (result) scriptDocuments.showRuntimeError(sessionId, !result.success && result.error ? result.error : null, runnable.firstLine);
}

/** F5: continue the session's stopped run, or start one. */
export function startOrContinue(sessionId: string) {
  const run = debugStore.getState().runs[sessionId];
  if (run) return void debugStore.getState().resume(sessionId, 'continue');
  if (canRun(sessionsStore.getState().infos[sessionId])) void debugInSession(sessionId);
}

export function step(sessionId: string, how: Resume) {
  void debugStore.getState().resume(sessionId, how);
}
