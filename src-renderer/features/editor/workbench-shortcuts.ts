// Window-wide shortcuts. For the active session's script, for when focus is outside Monaco (which binds the
// same keys itself): Ctrl/Cmd+S saves instead of the browser's "save page", and Ctrl/Cmd+Enter runs the
// buffer unless focus is in a text field. For the main area's tabs: keys a browser leaves to the page
// (Chromium keeps Ctrl+W, Ctrl+Tab and Ctrl+PageUp/PageDown for its own tabs), so they work in both hosts. The debugger's F-keys are taken
// before the focused element sees them too (F5 would reload a browser page).
import { scriptDocuments } from '../../monaco';
import { sessionsStore } from '../../stores/sessions';
import { closeFocusedTab, moveFocusedTabToOtherGroup, showNextTab } from '../layout/main-area-commands';
import { debugKeyCommand, runDebugKeyCommand } from '../debug/debug-keys';
import { runInSession } from './run-code';

function inTextField(target: EventTarget | null) {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/** The keys, as the welcome tab and the README list them. */
export const TAB_SHORTCUTS = [
  { keys: 'Alt+PageDown / Alt+PageUp', does: 'show the next / previous tab of the focused group' },
  { keys: 'Ctrl/Cmd+Alt+W', does: 'close the focused tab (Delete does it on a tab)' },
  { keys: 'Ctrl/Cmd+\\', does: 'move the focused tab to the other group (splitting the main area when there is one group)' },
] as const;

export function installWorkbenchShortcuts(target: Window): () => void {
  // Captured before the focused element sees them: Monaco and the console input would otherwise take them.
  const onDebugKey = (event: KeyboardEvent) => {
    const command = debugKeyCommand(event);
    if (!command) return;
    event.preventDefault();
    event.stopPropagation();
    const id = sessionsStore.getState().activeId;
    if (id) runDebugKeyCommand(command, id);
  };
  const onTabKey = (event: KeyboardEvent) => {
    const ctrl = event.ctrlKey || event.metaKey;
    if (event.altKey && !ctrl && !event.shiftKey && (event.key === 'PageDown' || event.key === 'PageUp')) {
      event.preventDefault();
      event.stopPropagation();
      showNextTab(event.key === 'PageDown' ? 1 : -1);
    } else if (ctrl && event.altKey && !event.shiftKey && event.code === 'KeyW') {
      event.preventDefault();
      event.stopPropagation();
      closeFocusedTab();
    } else if (ctrl && !event.altKey && !event.shiftKey && event.key === '\\') {
      event.preventDefault();
      event.stopPropagation();
      moveFocusedTabToOtherGroup();
    }
  };
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
  target.addEventListener('keydown', onDebugKey, true);
  target.addEventListener('keydown', onTabKey, true);
  target.addEventListener('keydown', onKeyDown);
  return () => {
    target.removeEventListener('keydown', onDebugKey, true);
    target.removeEventListener('keydown', onTabKey, true);
    target.removeEventListener('keydown', onKeyDown);
  };
}
