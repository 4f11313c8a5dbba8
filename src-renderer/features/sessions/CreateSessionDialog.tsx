// "New session": id, Lua version (from the executables the host discovered), environment,
// capabilities, persistent and limits. Omitted limits take the defaults from settings.
import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../src-preload/contract';
import { SESSION_ID_PATTERN, SESSION_ID_RULE } from '../../../src-preload/contract/session-id';
import type { VMCapabilities } from '../../../src-preload/contract/sessions';
import { bridge, errorMessage } from '../../bridge';
import { selectLuaVersions, useSettings } from '../../stores/settings';
import { sessionsStore, useSessions } from '../../stores/sessions';
import { Dialog } from '../common/Dialog';
import { parseLimits, type LimitFields } from './session-limits';

type Environment = MethodOutput<'packages:environments'>['environments'][number];


/** The dialog asks about every capability, the optional ones included. */
type CapabilityChoices = Required<VMCapabilities>;

/** What each sandbox capability grants, in the words the dialog shows; the engine's defaults. */
const CAPABILITIES: { key: keyof CapabilityChoices; label: string }[] = [
  { key: 'networked', label: 'Networked — LuaSocket on loopback' },
  { key: 'remoteNetwork', label: 'Remote network — other hosts and interfaces (needs Networked)' },
  { key: 'fs', label: 'Files — io.open inside the session’s work folder' },
  { key: 'olfi', label: 'Ol-Fi — send frames with require("bioxen.olfi")' },
  { key: 'metrics', label: 'Metrics — read hypervisor metrics with require("bioxen.metrics")' },
  { key: 'native', label: 'Native — C modules from installed rocks' },
];
const DEFAULT_CHOICES: CapabilityChoices = { networked: false, remoteNetwork: false, fs: false, olfi: true, metrics: false, native: false };

export function CreateSessionDialog() {
  const open = useSessions((state) => state.createDialogOpen);
  if (!open) return null;
  return <CreateSessionForm onClose={() => sessionsStore.getState().setCreateDialogOpen(false)} />;
}

function CreateSessionForm({ onClose }: { onClose(): void }) {
  const luaVersions = useSettings(selectLuaVersions);
  const defaults = useSettings((state) => state.settings?.limits);
  const [id, setId] = useState('');
  const [lua, setLua] = useState('');
  const [environment, setEnvironment] = useState('');
  const [capabilities, setCapabilities] = useState<CapabilityChoices>(DEFAULT_CHOICES);
  const [persistent, setPersistent] = useState(false);
  const [limitFields, setLimitFields] = useState<LimitFields>({ instructionQuota: '', memoryMb: '', timeoutMs: '' });
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [environments, setEnvironments] = useState<Environment[]>([]);

  useEffect(() => {
    bridge()
      .invoke('packages:environments', {})
      .then(({ environments }) => setEnvironments(environments), (error: unknown) => setProblem(`Environments could not be listed: ${errorMessage(error)}`));
  }, []);

  const submit = async () => {
    if (id && !SESSION_ID_PATTERN.test(id)) return setProblem(`${SESSION_ID_RULE[0]!.toUpperCase()}${SESSION_ID_RULE.slice(1)}.`);
    const { limits, problem: limitProblem } = parseLimits(limitFields);
    if (limitProblem) return setProblem(limitProblem);
    setBusy(true);
    const info = await sessionsStore.getState().create({
      id: id || undefined,
      luaVersion: lua || undefined,
      environment: environment || undefined,
      networked: capabilities.networked,
      persistent,
      limits,
      capabilities: { ...capabilities, remoteNetwork: capabilities.networked && capabilities.remoteNetwork },
    });
    setBusy(false);
    if (info) onClose();
    else setProblem(sessionsStore.getState().lastError);
  };

  const limitInput = (key: keyof LimitFields, label: string) => (
    <label>
      {label}
      <input
        inputMode="numeric"
        value={limitFields[key]}
        placeholder={defaults ? String(defaults[key]) : 'default'}
        onChange={(event) => setLimitFields({ ...limitFields, [key]: event.target.value })}
      />
    </label>
  );

  return (
    <Dialog
      title="New session"
      onClose={onClose}
      onSubmit={() => void submit()}
      footer={<button type="submit" className="primary" disabled={busy}>Create</button>}
    >
      <label>
        Session id
        <input value={id} placeholder="generated when empty" onChange={(event) => setId(event.target.value)} />
      </label>
      <label>
        Lua version
        <select value={lua} onChange={(event) => setLua(event.target.value)}>
          <option value="">Default{luaVersions[0] ? ` (${luaVersions[0].banner})` : ''}</option>
          {luaVersions.map((exe) => (
            <option key={exe.id} value={exe.id}>{exe.banner} — {exe.path}</option>
          ))}
        </select>
      </label>
      <label>
        Environment
        <select value={environment} onChange={(event) => setEnvironment(event.target.value)}>
          <option value="">None (bundled BioXen modules only)</option>
          {environments.map((env) => (
            <option key={env.name} value={env.name}>{env.name} — Lua {env.luaVersion}{env.profile ? `, ${env.profile}` : ''}</option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>Capabilities</legend>
        {CAPABILITIES.map(({ key, label }) => (
          <label key={key} className="wb-checkbox">
            <input
              type="checkbox"
              checked={capabilities[key]}
              disabled={key === 'remoteNetwork' && !capabilities.networked}
              onChange={(event) => setCapabilities({ ...capabilities, [key]: event.target.checked })}
            />
            {label}
          </label>
        ))}
      </fieldset>
      <label className="wb-checkbox">
        <input type="checkbox" checked={persistent} onChange={(event) => setPersistent(event.target.checked)} />
        Persistent (restored when the workbench starts; the Lua state restarts)
      </label>
      <fieldset>
        <legend>Limits</legend>
        {limitInput('instructionQuota', 'Instruction quota')}
        {limitInput('memoryMb', 'Memory (MB)')}
        {limitInput('timeoutMs', 'Timeout per run (ms)')}
      </fieldset>
      {problem && <p role="alert" className="wb-problem">{problem}</p>}
    </Dialog>
  );
}
