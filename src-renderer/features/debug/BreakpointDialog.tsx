// Edits one breakpoint's condition, hit count and log message (from the glyph's right-click, the
// editor's context menu or the breakpoint list). Saving with all three empty keeps a plain breakpoint.
import { useState } from 'react';
import { debugStore, selectEditing, useDebug } from '../../stores/debug';
import { Dialog } from '../common/Dialog';

export function BreakpointDialog() {
  const editing = useDebug(selectEditing);
  if (!editing) return null;
  return <BreakpointForm key={`${editing.script}:${editing.line}`} script={editing.script} line={editing.line} />;
}

function BreakpointForm({ script, line }: { script: string; line: number }) {
  const actions = debugStore.getState();
  const current = actions.breakpoints[script]?.find((bp) => bp.line === line);
  const [condition, setCondition] = useState(current?.condition ?? '');
  const [hitCondition, setHitCondition] = useState(current?.hitCondition ?? '');
  const [logMessage, setLogMessage] = useState(current?.logMessage ?? '');
  const close = () => actions.editBreakpoint(null);
  const save = () => {
    actions.setOptions(script, line, { condition, hitCondition, logMessage });
    close();
  };
  return (
    <Dialog
      title={`Breakpoint at ${script}:${line}`}
      onClose={close}
      onSubmit={save}
      footer={
        <>
          <button type="submit" className="primary">Save</button>
          {current && (
            <button type="button" className="danger" onClick={() => { actions.remove(script, line); close(); }}>Remove</button>
          )}
        </>
      }
    >
      <label>
        Condition (stops only when this Lua expression is true)
        <input value={condition} onChange={(event) => setCondition(event.target.value)} placeholder="i == 10" />
      </label>
      <label>
        Hit count (N, &gt;= N, &gt; N, &lt; N, &lt;= N, == N or % N)
        <input value={hitCondition} onChange={(event) => setHitCondition(event.target.value)} placeholder=">= 3" />
      </label>
      <label>
        Log message (prints instead of stopping; {'{expression}'} is replaced by its value)
        <input value={logMessage} onChange={(event) => setLogMessage(event.target.value)} placeholder="i = {i}" />
      </label>
    </Dialog>
  );
}
