// Run the editor buffer or selection in its session; a runtime error is placed at its line.
import { scriptDocuments, type RunMode } from '../../monaco';
import { sessionsStore } from '../../stores/sessions';

export async function runInSession(sessionId: string, mode: RunMode) {
  const runnable = scriptDocuments.runnable(sessionId, mode);
  if (!runnable || !runnable.code.trim()) return;
  const result = await sessionsStore.getState().run(sessionId, runnable.code, runnable.chunkName);
  scriptDocuments.showRuntimeError(sessionId, result && !result.success && result.error ? result.error : null, runnable.firstLine);
}
