// The welcome tab, shown at a first start and from Help › Welcome or the activity bar: what the workbench
// is, how to start (a new session, an example running in one click, a recent script), where the data
// lives, and the keyboard shortcuts.
import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../src-preload/contract';
import { formatTime } from '../../../src-preload/contract/outside-values';
import { bridge, errorMessage } from '../../bridge';
import { sessionsStore } from '../../stores/sessions';
import { useSettings } from '../../stores/settings';
import { TAB_SHORTCUTS } from '../editor/workbench-shortcuts';
import { openMainView } from '../layout/main-area-commands';
import { openScriptInNewSession, startExample } from './start-session';
import './welcome.css';

type Example = MethodOutput<'workspace:examples'>['examples'][number];
type ScriptList = MethodOutput<'workspace:list'>;

const RECENT_SCRIPTS = 6;

const SHORTCUTS: readonly { keys: string; does: string }[] = [
  { keys: 'Ctrl/Cmd+Enter', does: 'run the active session’s whole script' },
  { keys: 'Shift+Enter (editor)', does: 'run the selection, or the current line' },
  { keys: 'Ctrl/Cmd+S', does: 'save the script (it also autosaves)' },
  { keys: 'Enter / ↑ / ↓ (console)', does: 'send the line / walk the input history' },
  { keys: 'Ctrl+C (console)', does: 'interrupt the running code; the session keeps its globals' },
  { keys: 'F8 (editor)', does: 'jump to the next problem' },
  { keys: 'F5 / Shift+F5', does: 'debug the script, or continue / stop a stopped run' },
  { keys: 'F9 · F10 / F11 / Shift+F11', does: 'toggle a breakpoint · step over / into / out' },
  ...TAB_SHORTCUTS,
  { keys: '← → Home End (tab strip)', does: 'move between tabs; Enter shows one, Delete closes it' },
];

export function WelcomeView() {
  const appInfo = useSettings((state) => state.appInfo);
  const [examples, setExamples] = useState<Example[] | null>(null);
  const [scripts, setScripts] = useState<ScriptList | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [starting, setStarting] = useState<string | null>(null);

  useEffect(() => {
    const client = bridge();
    client.invoke('workspace:examples', {}).then(({ examples }) => setExamples(examples), (error: unknown) => setProblem(`The examples could not be listed: ${errorMessage(error)}`));
    const listScripts = () => client.invoke('workspace:list', {}).then(setScripts, (error: unknown) => setProblem(`Your scripts could not be listed: ${errorMessage(error)}`));
    void listScripts();
    // A save anywhere (this window's autosave, another window) can change which scripts are recent.
    return client.on('workspace:changed', () => void listScripts());
  }, []);

  const start = async (name: string, action: (name: string) => Promise<void>) => {
    setStarting(name);
    setProblem(null);
    try {
      await action(name);
    } catch (error) {
      setProblem(`${name}: ${errorMessage(error)}`);
    } finally {
      setStarting(null);
    }
  };

  const recent = [...(scripts?.scripts ?? [])].sort((a, b) => b.modifiedAt - a.modifiedAt).slice(0, RECENT_SCRIPTS);

  return (
    <section className="welcome" aria-label="Welcome">
      <header>
        <h1>BioXen Workbench{appInfo ? <small> {appInfo.version}</small> : null}</h1>
        <p className="welcome-lede">
          Write Lua biology scripts, run them in sandboxed Lua VMs (5.1–5.4 and LuaJIT), install BioXen packages into
          isolated environments, and see the results where they are made: plots and tables in the console, Ol-Fi
          chemical-signal frames and cellular metrics live in their own tabs.
        </p>
        <div className="welcome-actions">
          <button className="primary" onClick={() => sessionsStore.getState().setCreateDialogOpen(true)}>New session</button>
          <button onClick={() => openMainView('olfi')}>Open Ol-Fi</button>
          <button onClick={() => openMainView('metrics')}>Open Metrics</button>
        </div>
      </header>
      {problem && <p role="alert" className="wb-problem">{problem}</p>}

      <div className="welcome-columns">
        <section aria-labelledby="welcome-examples">
          <h2 id="welcome-examples">Examples</h2>
          <p className="pkg-dim">One click starts a session with a copy of the example in its editor and runs it.</p>
          {!examples && !problem && <p>Loading…</p>}
          <ul className="welcome-list" aria-label="Examples">
            {examples?.map((example) => (
              <li key={example.name}>
                <button disabled={starting !== null} onClick={() => void start(example.name, startExample)} aria-label={`Run example ${example.title}`} title={example.description}>
                  <span className="welcome-item-title">{example.title}</span>
                  <span className="welcome-item-note">{firstSentence(example.description)}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>

        <section aria-labelledby="welcome-recent">
          <h2 id="welcome-recent">Recent scripts</h2>
          {scripts && recent.length === 0 && <p className="pkg-dim">None yet: scripts you save appear here.</p>}
          <ul className="welcome-list" aria-label="Recent scripts">
            {recent.map((script) => (
              <li key={script.name}>
                <button disabled={starting !== null} onClick={() => void start(script.name, openScriptInNewSession)} aria-label={`Open ${script.name} in a new session`}>
                  <span className="welcome-item-title">{script.name}</span>
                  <span className="welcome-item-note">{formatTime(script.modifiedAt, (date) => date.toLocaleString())}</span>
                </button>
              </li>
            ))}
          </ul>

          <h2>Your data</h2>
          <dl className="welcome-facts">
            <dt>Data folder</dt>
            <dd><code aria-label="Data folder">{appInfo?.dataDir ?? '…'}</code></dd>
            <dt>Scripts</dt>
            <dd><code>{scripts?.dir ?? '…'}</code></dd>
          </dl>
          <p className="pkg-dim">Sessions, scripts, environments, settings and the Redis data live there. Start with <code>--data-dir</code> or <code>BIOXEN_DATA_DIR</code> to use another.</p>

          <h2>Keyboard</h2>
          <table className="welcome-keys" aria-label="Keyboard shortcuts">
            <tbody>
              {SHORTCUTS.map((shortcut) => (
                <tr key={shortcut.keys}>
                  <th scope="row"><kbd>{shortcut.keys}</kbd></th>
                  <td>{shortcut.does}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </section>
  );
}

function firstSentence(text: string): string {
  const end = text.search(/[.!?](\s|$)/);
  return end < 0 ? text : text.slice(0, end + 1);
}
