// Settings: theme, editor font size and autosave delay. Saved in settings.json by the main side.
import { settingsStore, useSettings } from '../../stores/settings';
import { Dialog } from '../common/Dialog';

export function SettingsDialog() {
  const open = useSettings((state) => state.settingsOpen);
  const settings = useSettings((state) => state.settings);
  const problem = useSettings((state) => state.lastError);
  if (!open) return null;
  const { update, setSettingsOpen } = settingsStore.getState();
  const close = () => setSettingsOpen(false);

  return (
    <Dialog title="Settings" onClose={close}>
      {!settings && <p>Loading…</p>}
      {settings && (
        <>
          <label>
            Theme
            <select value={settings.theme} onChange={(event) => void update({ theme: event.target.value as 'dark' | 'light' })}>
              <option value="dark">Dark</option>
              <option value="light">Light</option>
            </select>
          </label>
          <label>
            Editor font size
            <input type="number" min={8} max={40} value={settings.editor.fontSize} onChange={(event) => void update({ editor: { fontSize: Number(event.target.value) } })} />
          </label>
          <label>
            Autosave delay (ms)
            <input type="number" min={200} max={60000} step={100} value={settings.editor.autosaveMs} onChange={(event) => void update({ editor: { autosaveMs: Number(event.target.value) } })} />
          </label>
        </>
      )}
      {problem && <p role="alert" className="wb-problem">{problem}</p>}
    </Dialog>
  );
}
