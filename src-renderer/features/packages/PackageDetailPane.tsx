// The selected package: description, versions, dependency tree, where it is installed, and
// install/remove into the selected environment.
import { useState } from 'react';
import type { DependencyNodeShape } from '../../../src-preload/contract/packages';
import { packagesStore, selectInstalledInSelectedEnv, selectJobRunning, usePackages } from '../../stores/packages';

export function PackageDetailPane() {
  const detail = usePackages((s) => s.detail);
  const selected = usePackages((s) => s.selected);
  const env = usePackages((s) => s.selectedEnv);
  const installed = usePackages(selectInstalledInSelectedEnv);
  const running = usePackages(selectJobRunning);
  const [version, setVersion] = useState('');
  if (!selected) return null;
  if (!detail) return <section className="pkg-detail" aria-label="Package details"><p className="empty">Loading {selected}…</p></section>;

  const { entry } = detail;
  const here = installed.find((r) => r.name === entry.name);
  const spec = version ? `${entry.name}@${version}` : entry.name;
  return (
    <section className="pkg-detail" aria-label="Package details">
      <header className="view-subheader">
        <h2>{entry.name}</h2>
        <button onClick={() => void packagesStore.getState().select(null)} aria-label="Close details">×</button>
      </header>
      <p>{entry.description || 'No description in the catalog.'}</p>
      <p className="pkg-dim">
        {entry.category} · priority {entry.priority}
        {entry.pureLua === undefined ? '' : entry.pureLua ? ' · pure Lua' : ' · C module (needs the native capability)'}
        {entry.bundled ? ' · bundled (works offline)' : ''}
      </p>
      {entry.tags.length > 0 && <p className="pkg-tags">{entry.tags.map((t) => <span key={t} className="pkg-tag">{t}</span>)}</p>}
      <h3>Versions</h3>
      {entry.versions.length === 0 ? (
        <p className="pkg-dim">No reachable repository serves it right now.</p>
      ) : (
        <ul className="pkg-versions" aria-label="Versions">
          {entry.versions.map((v) => <li key={`${v.version}-${v.repository.location}`}>{v.version} <span className="pkg-dim">({v.repository.kind})</span></li>)}
        </ul>
      )}
      <h3>Dependencies</h3>
      {detail.treeError ? <p className="problem">{detail.treeError}</p> : detail.tree ? <DependencyTree node={detail.tree} root /> : <p className="pkg-dim">{env ? 'Resolving…' : 'Pick an environment to see what an install brings in.'}</p>}
      <h3>Installed in</h3>
      <p aria-label="Installed in">{detail.installedIn.length ? detail.installedIn.map((w) => `${w.env} (${w.version})`).join(', ') : 'no environment'}</p>
      {env && (
        <div className="pkg-install-row">
          {entry.versions.length > 0 && (
            <select aria-label="Version to install" value={version} onChange={(e) => setVersion(e.target.value)}>
              <option value="">latest</option>
              {entry.versions.map((v) => <option key={v.version} value={v.version}>{v.version}</option>)}
            </select>
          )}
          <button className="primary" disabled={running || entry.versions.length === 0} onClick={() => void packagesStore.getState().install(spec)}>
            {here ? `Reinstall in ${env}` : `Install into ${env}`}
          </button>
          {here && <button className="danger" disabled={running} onClick={() => void packagesStore.getState().remove(entry.name)}>Remove from {env}</button>}
        </div>
      )}
    </section>
  );
}

function DependencyTree({ node, root = false }: { node: DependencyNodeShape; root?: boolean }) {
  const label = `${node.name} ${node.version ?? `(no version matches ${node.constraint})`}${node.installedVersion ? (node.installedVersion === node.version ? ' ✓ installed' : ` (installed ${node.installedVersion})`) : ''}${node.unknown ? ' (dependencies unknown)' : ''}`;
  const children = node.dependencies.length > 0 && (
    <ul role="group">
      {node.dependencies.map((d) => <DependencyTree key={d.name} node={d} />)}
    </ul>
  );
  if (root) {
    return (
      <ul role="tree" aria-label="Dependency tree" className="pkg-tree">
        <li role="treeitem" aria-expanded={node.dependencies.length > 0 ? true : undefined} aria-selected={false}>{label}{children}</li>
      </ul>
    );
  }
  return <li role="treeitem" aria-expanded={node.dependencies.length > 0 ? true : undefined} aria-selected={false}>{label}{children}</li>;
}
