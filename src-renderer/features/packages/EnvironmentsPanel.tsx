// Environments in the Packages view: pick the target of installs, create one, bootstrap a profile,
// check health, delete.
import { useState } from 'react';
import { packagesStore, usePackages, type Environment } from '../../stores/packages';
import { selectActiveId, useSessions } from '../../stores/sessions';
import { Dialog } from '../common/Dialog';

export function EnvironmentsPanel() {
  const environments = usePackages((s) => s.environments);
  const selectedEnv = usePackages((s) => s.selectedEnv);
  const [creating, setCreating] = useState(false);
  const [bootstrapping, setBootstrapping] = useState<string | null>(null);

  return (
    <section className="pkg-envs" aria-label="Environments">
      <header className="view-subheader">
        <h2>Environments</h2>
        <button onClick={() => setCreating(true)}>New environment</button>
      </header>
      {environments.length === 0 && <p className="empty">No environments yet. Create one to install packages into.</p>}
      <ul className="pkg-env-list">
        {environments.map((env) => (
          <EnvironmentItem key={env.name} env={env} selected={env.name === selectedEnv} onBootstrap={() => setBootstrapping(env.name)} />
        ))}
      </ul>
      {creating && <CreateEnvironmentDialog onClose={() => setCreating(false)} />}
      {bootstrapping && <BootstrapDialog env={bootstrapping} onClose={() => setBootstrapping(null)} />}
    </section>
  );
}

function EnvironmentItem({ env, selected, onBootstrap }: { env: Environment; selected: boolean; onBootstrap(): void }) {
  const count = usePackages((s) => s.installed[env.name]?.length ?? 0);
  const health = usePackages((s) => s.health[env.name]);
  const activeSession = useSessions(selectActiveId);
  const actions = packagesStore.getState();
  return (
    <li className={`pkg-env${selected ? ' active' : ''}`} aria-label={`Environment ${env.name}`}>
      <button className="pkg-env-select" aria-pressed={selected} onClick={() => void actions.selectEnv(env.name)}>
        <span className="pkg-env-name">{env.name}</span>
        <span className="pkg-dim">Lua {env.luaVersion} · {count} {count === 1 ? 'package' : 'packages'}{env.profile ? ` · ${env.profile}` : ''}</span>
      </button>
      <div className="session-actions">
        <button onClick={onBootstrap} aria-label={`Bootstrap ${env.name}`}>Bootstrap…</button>
        <button onClick={() => void actions.checkHealth(env.name)} aria-label={`Check health of ${env.name}`}>Health</button>
        {activeSession && (
          <button onClick={() => void actions.bindSession(activeSession, env.name)} aria-label={`Use ${env.name} in session ${activeSession}`}>Use in {activeSession}</button>
        )}
        <button className="danger" onClick={() => window.confirm(`Delete environment ${env.name} and everything installed in it?`) && void actions.deleteEnvironment(env.name)} aria-label={`Delete ${env.name}`}>Delete</button>
      </div>
      {health && (
        <div className={`pkg-health ${health.healthy ? 'ok' : 'bad'}`} role="status" aria-label={`Health of ${env.name}`}>
          {health.healthy ? 'Healthy' : 'Problems'}: Lua {health.luaVersion} {health.luaExecutable ? '' : '(missing) '}· luarocks {health.luarocksVersion ?? 'missing'} · {health.installedCount} installed
          {health.problems.map((p) => <div key={p}>{p}</div>)}
        </div>
      )}
    </li>
  );
}

function CreateEnvironmentDialog({ onClose }: { onClose(): void }) {
  const [name, setName] = useState('');
  const [luaVersion, setLuaVersion] = useState<'5.1' | '5.2' | '5.3' | '5.4'>('5.4');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async () => {
    if (await packagesStore.getState().createEnvironment(name.trim(), luaVersion)) onClose();
    else setProblem(packagesStore.getState().lastError);
  };
  return (
    <Dialog title="New environment" onClose={onClose} onSubmit={() => void submit()} footer={<button type="submit" className="primary">Create</button>}>
      <label>
        Name
        <input value={name} placeholder="e.g. bio" onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Lua version
        <select value={luaVersion} onChange={(e) => setLuaVersion(e.target.value as typeof luaVersion)}>
          {(['5.4', '5.3', '5.2', '5.1'] as const).map((v) => <option key={v} value={v}>{v}</option>)}
        </select>
      </label>
      {problem && <p className="problem" role="alert">{problem}</p>}
    </Dialog>
  );
}

function BootstrapDialog({ env, onClose }: { env: string; onClose(): void }) {
  const profiles = Object.entries(usePackages((s) => s.profiles));
  const [profile, setProfile] = useState('bioxen-standard');
  const submit = () => {
    onClose();
    void packagesStore.getState().bootstrap(env, profile);
  };
  return (
    <Dialog title={`Bootstrap ${env}`} onClose={onClose} onSubmit={submit} footer={<button type="submit" className="primary">Install profile</button>}>
      <label>
        Profile
        <select value={profile} onChange={(e) => setProfile(e.target.value)}>
          {profiles.map(([name, p]) => <option key={name} value={name}>{name} — {p.description}</option>)}
        </select>
      </label>
      <p className="pkg-dim">{profiles.find(([name]) => name === profile)?.[1].packages.join(', ') || 'no packages'}</p>
    </Dialog>
  );
}
