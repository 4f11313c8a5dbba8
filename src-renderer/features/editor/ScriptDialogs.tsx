// Open a workspace script, save under a new name, or start from a bundled example — each rebinds
// the session's editor to the chosen file.
import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../src-preload/contract';
import { formatTime } from '../../../src-preload/contract/outside-values';
import { bridge, errorMessage } from '../../bridge';
import { scriptDocuments } from '../../monaco';
import { editorStore, selectDialog, useEditor } from '../../stores/editor';
import { Dialog } from '../common/Dialog';

export function ScriptDialogs() {
  const dialog = useEditor(selectDialog);
  if (!dialog) return null;
  // Back to the editor, so its shortcuts (run, save) work right after the dialog.
  const close = () => {
    editorStore.getState().openDialog(null);
    scriptDocuments.focus(dialog.sessionId);
  };
  if (dialog.kind === 'saveAs') return <SaveAsDialog sessionId={dialog.sessionId} onClose={close} />;
  if (dialog.kind === 'open') return <OpenDialog sessionId={dialog.sessionId} onClose={close} />;
  return <ExampleDialog sessionId={dialog.sessionId} onClose={close} />;
}

/** Loads a listing once; a failure becomes the dialog's problem text. */
function useListing<T>(load: () => Promise<T>) {
  const [value, setValue] = useState<T | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    load().then(setValue, (error: unknown) => setProblem(errorMessage(error)));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the listing is loaded once, when the dialog opens
  }, []);
  return { value, problem, setProblem };
}

function SaveAsDialog({ sessionId, onClose }: { sessionId: string; onClose(): void }) {
  const current = editorStore.getState().documents[sessionId]?.scriptName ?? '';
  const [name, setName] = useState(current);
  const [overwrite, setOverwrite] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async () => {
    const fileName = name.endsWith('.lua') ? name : `${name}.lua`;
    try {
      await scriptDocuments.saveAs(sessionId, fileName, overwrite);
      onClose();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  return (
    <Dialog title="Save script as" onClose={onClose} onSubmit={() => void submit()} footer={<button type="submit" className="primary">Save</button>}>
      <label>
        File name
        <input value={name} onChange={(event) => setName(event.target.value)} />
      </label>
      <label className="wb-checkbox">
        <input type="checkbox" checked={overwrite} onChange={(event) => setOverwrite(event.target.checked)} />
        Replace an existing script with this name
      </label>
      {problem && <p role="alert" className="wb-problem">{problem}</p>}
    </Dialog>
  );
}

type ScriptList = MethodOutput<'workspace:list'>;
type ExampleList = MethodOutput<'workspace:examples'>;

function OpenDialog({ sessionId, onClose }: { sessionId: string; onClose(): void }) {
  const { value, problem, setProblem } = useListing<ScriptList>(() => bridge().invoke('workspace:list', {}));
  const open = async (name: string) => {
    try {
      await scriptDocuments.openScript(sessionId, name);
      onClose();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  return (
    <Dialog title="Open script" onClose={onClose}>
      {!value && !problem && <p>Loading…</p>}
      {value && value.scripts.length === 0 && <p>No scripts in {value.dir} yet.</p>}
      <ul className="pick-list" aria-label="Scripts">
        {value?.scripts.map((script) => (
          <li key={script.name}>
            <button type="button" onClick={() => void open(script.name)}>
              {script.name} <small>{(script.size / 1024).toFixed(1)} KB · {formatTime(script.modifiedAt, (date) => date.toLocaleString())}</small>
            </button>
          </li>
        ))}
      </ul>
      {problem && <p role="alert" className="wb-problem">{problem}</p>}
    </Dialog>
  );
}

function ExampleDialog({ sessionId, onClose }: { sessionId: string; onClose(): void }) {
  const { value, problem, setProblem } = useListing<ExampleList>(() => bridge().invoke('workspace:examples', {}));
  const pick = async (example: string) => {
    try {
      await scriptDocuments.newFromExample(sessionId, example);
      onClose();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  return (
    <Dialog title="New script from example" onClose={onClose}>
      {!value && !problem && <p>Loading…</p>}
      <ul className="pick-list" aria-label="Examples">
        {value?.examples.map((example) => (
          <li key={example.name}>
            <button type="button" onClick={() => void pick(example.name)}>
              {example.title} <small>{example.description}</small>
            </button>
          </li>
        ))}
      </ul>
      {problem && <p role="alert" className="wb-problem">{problem}</p>}
    </Dialog>
  );
}
