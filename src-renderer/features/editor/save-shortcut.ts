// Ctrl/Cmd+S anywhere in the window saves the active session's script (instead of the browser's
// "save page"); inside Monaco the editor's own binding handles it first.
import { scriptDocuments } from '../../monaco';
import { sessionsStore } from '../../stores/sessions';

export function installSaveShortcut(target: Window): () => void {
  const onKeyDown = (event: KeyboardEvent) => {
    if (!(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== 's' || event.shiftKey || event.altKey) return;
    event.preventDefault();
    const id = sessionsStore.getState().activeId;
    if (id) void scriptDocuments.save(id);
  };
  target.addEventListener('keydown', onKeyDown);
  return () => target.removeEventListener('keydown', onKeyDown);
}
