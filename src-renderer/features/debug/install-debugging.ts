// Starts the window's debugging: the debug store follows the service, and hovering a name in a
// stopped session's script shows its value.
import { monaco } from '../../monaco/monaco-setup';
import { scriptDocuments } from '../../monaco';
import { debugStore } from '../../stores/debug';
import { registerDebugHover } from './editor-debugging';

export function installDebugging(): () => void {
  const disconnect = debugStore.getState().connect();
  const hover = registerDebugHover(monaco, (model) => scriptDocuments.sessionOf(model));
  return () => {
    disconnect();
    hover.dispose();
  };
}
