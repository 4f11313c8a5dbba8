// Window-wide shortcuts for the active session's script, for when focus is outside Monaco (which
// binds the same keys itself): Ctrl/Cmd+S saves instead of the browser's "save page", and
// Ctrl/Cmd+Enter runs the buffer unless focus is in a text field.
import { scriptDocuments } from '../../monaco';
import { sessionsStore } from '../../stores/sessions';
import { runInSession } from './run-code';

function inTextField(target: EventTarget | null) {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

export function installWorkbenchShortcuts(target: Window): () => void {
  const onKeyDown = (event: KeyboardEvent) => {
    if (!(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey || event.defaultPrevented) return;
    const id = sessionsStore.getState().activeId;
    if (event.key.toLowerCase() === 's') {
      event.preventDefault();
      if (id) void scriptDocuments.save(id);
    } else if (event.key === 'Enter' && id && !inTextField(event.target)) {
      event.preventDefault();
      void runInSession(id, 'buffer');
    }
  };
  target.addEventListener('keydown', onKeyDown);
  return () => target.removeEventListener('keydown', onKeyDown);
}
