// The debugger's keys, as in VS Code and ZeroBrane: F5 start/continue, Shift+F5 stop, F9 toggle a
// breakpoint at the cursor, F10 step over, F11 step in, Shift+F11 step out.
import { debugStore } from '../../stores/debug';
import { startOrContinue, step } from './debug-commands';
import { toggleBreakpointAtCursor } from './editor-debugging';

export type DebugKeyCommand = 'startOrContinue' | 'stop' | 'toggleBreakpoint' | 'next' | 'stepIn' | 'stepOut';

type KeyLike = Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'metaKey' | 'altKey'>;

export function debugKeyCommand(event: KeyLike): DebugKeyCommand | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  switch (event.key) {
    case 'F5':
      return event.shiftKey ? 'stop' : 'startOrContinue';
    case 'F9':
      return event.shiftKey ? null : 'toggleBreakpoint';
    case 'F10':
      return event.shiftKey ? null : 'next';
    case 'F11':
      return event.shiftKey ? 'stepOut' : 'stepIn';
    default:
      return null;
  }
}

export function runDebugKeyCommand(command: DebugKeyCommand, sessionId: string) {
  if (command === 'startOrContinue') startOrContinue(sessionId);
  else if (command === 'stop') void debugStore.getState().stop(sessionId);
  else if (command === 'toggleBreakpoint') toggleBreakpointAtCursor(sessionId);
  else step(sessionId, command);
}
