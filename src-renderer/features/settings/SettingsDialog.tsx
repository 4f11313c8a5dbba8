// Settings: appearance, editor, the Lua executable and limits for new sessions, and where Redis and
// the hypervisor are. Saved in settings.json by the main side; the Redis password stays there.
import { useState, type ReactNode } from 'react';
import type { Settings, SettingsPatch } from '../../../src-preload/contract/settings';
import { selectLuaVersions, settingsStore, useSettings } from '../../stores/settings';
import { Dialog } from '../common/Dialog';

export function SettingsDialog() {
  const open = useSettings((state) => state.settingsOpen);
  const settings = useSettings((state) => state.settings);
  const problem = useSettings((state) => state.lastError);
  if (!open) return null;
  const { setSettingsOpen } = settingsStore.getState();

  return (
    <Dialog title="Settings" onClose={() => setSettingsOpen(false)}>
      {!settings && <p>Loading…</p>}
      {settings && <SettingsForm settings={settings} />}
      {problem && <p role="alert" className="wb-problem">{problem}</p>}
    </Dialog>
  );
}

function SettingsForm({ settings }: { settings: Settings }) {
  const luaVersions = useSettings(selectLuaVersions);
  const { update, addLuaExecutable } = settingsStore.getState();
  const limit = (key: keyof Settings['limits'], label: string) => (
    <TextSetting
      label={label}
      value={String(settings.limits[key])}
      inputMode="numeric"
      toPatch={(text) => ({ limits: { [key]: Number(text) } })}
    />
  );

  return (
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
      <label>
        Lua for new sessions
        <select value={settings.luaExecutable ?? ''} onChange={(event) => void update({ luaExecutable: event.target.value || null })}>
          <option value="">Best discovered{luaVersions[0] ? ` (${luaVersions[0].banner})` : ''}</option>
          {luaVersions.map((exe) => (
            <option key={exe.id} value={exe.id}>{exe.banner} — {exe.path}</option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => void addLuaExecutable()}>Add interpreter…</button>
      <fieldset>
        <legend>Limits for new sessions</legend>
        {limit('instructionQuota', 'Instruction quota (0 = none)')}
        {limit('memoryMb', 'Memory (MB)')}
        {limit('timeoutMs', 'Timeout per run (ms, 0 = none)')}
        {limit('outputBytes', 'Output kept per run (bytes)')}
      </fieldset>
      <fieldset>
        <legend>Connections</legend>
        <TextSetting
          label="Redis URL"
          hint="Empty: the workbench runs its own redis-server. redis://[user:password@]host:port/db or rediss://…"
          value={settings.redisUrl ?? ''}
          placeholder="embedded redis-server"
          toPatch={(text) => ({ redisUrl: text || null })}
        />
        <TextSetting label="Ol-Fi stream key" value={settings.olfiStream} toPatch={(text) => ({ olfiStream: text })} />
        <TextSetting
          label="Metrics stream key"
          hint="Where hypervisor metrics are republished and the visualizer reads them; not the Ol-Fi stream."
          value={settings.metricsStream}
          toPatch={(text) => ({ metricsStream: text })}
        />
        <TextSetting
          label="Hypervisor endpoint"
          hint="tcp://host:port of a BioXen hypervisor's metrics socket; empty: not connected."
          value={settings.hypervisorEndpoint ?? ''}
          placeholder="tcp://127.0.0.1:12345"
          toPatch={(text) => ({ hypervisorEndpoint: text || null })}
        />
      </fieldset>
    </>
  );
}

/** A text setting applied on Enter or when focus leaves, so a half-typed URL is never validated. */
function TextSetting(props: { label: string; value: string; hint?: ReactNode; placeholder?: string; inputMode?: 'numeric'; toPatch(text: string): SettingsPatch }) {
  const [draft, setDraft] = useState<string | null>(null);
  const apply = () => {
    if (draft === null) return;
    const text = draft.trim();
    setDraft(null);
    if (text !== props.value) void settingsStore.getState().update(props.toPatch(text));
  };
  return (
    <label>
      {props.label}
      <input
        value={draft ?? props.value}
        placeholder={props.placeholder}
        inputMode={props.inputMode}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={apply}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            apply();
          }
        }}
      />
      {props.hint && <small className="wb-hint">{props.hint}</small>}
    </label>
  );
}
