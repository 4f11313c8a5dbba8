// Carries out the Electron application menu's commands (File › New Session, Save, Run, Help › Welcome …) in this
// window. In a browser nothing sends them; the same actions are on buttons and shortcuts.
import type { BridgeClient } from '../../bridge';
import { scriptDocuments } from '../../monaco';
import { editorStore } from '../../stores/editor';
import { sessionsStore } from '../../stores/sessions';
import { openMainView } from '../layout/main-area-commands';
import { runInSession } from './run-code';

export function listenToAppCommands(client: BridgeClient): () => void {
  return client.on('app:command', ({ command }) => {
    const activeId = sessionsStore.getState().activeId;
    if (command === 'newSession') return sessionsStore.getState().setCreateDialogOpen(true);
    if (command === 'welcome') return openMainView('welcome');
    if (!activeId) return;
    if (command === 'save') void scriptDocuments.save(activeId);
    else if (command === 'saveAs') editorStore.getState().openDialog({ kind: 'saveAs', sessionId: activeId });
    else if (command === 'newScript') editorStore.getState().openDialog({ kind: 'example', sessionId: activeId });
    else if (command === 'run') void runInSession(activeId, 'buffer');
  });
}
