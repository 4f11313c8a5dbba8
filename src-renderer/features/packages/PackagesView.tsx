// The Packages sidebar: environments, instant catalog search with a category filter and the install
// progress; the chosen package's details open as a tab in the main area (PackageDetailPane).
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { packagesStore, selectInstalledInSelectedEnv, selectRecommendations, usePackages } from '../../stores/packages';
import { EnvironmentsPanel } from './EnvironmentsPanel';
import { InstallJobPanel } from './InstallJobPanel';
import './packages.css';

export function PackagesView() {
  useEffect(() => packagesStore.getState().connect(), []);
  useEffect(() => void packagesStore.getState().load(), []);
  const lastError = usePackages((s) => s.lastError);

  return (
    <section className="packages-view" aria-label="Packages">
      <header className="view-header">
        <h1>Packages</h1>
      </header>
      {lastError && (
        <p className="problem pkg-error" role="alert">
          {lastError} <button onClick={() => packagesStore.getState().clearError()} aria-label="Dismiss error">×</button>
        </p>
      )}
      <EnvironmentsPanel />
      <Recommendations />
      <SearchPanel />
      <InstallJobPanel />
    </section>
  );
}

function Recommendations() {
  const env = usePackages((s) => s.selectedEnv);
  const recs = usePackages(selectRecommendations);
  if (!env || recs.length === 0) return null;
  return (
    <section className="pkg-recs" aria-label={`Recommended for ${env}`}>
      <span className="pkg-dim">Recommended for {env}:</span>
      {recs.map((r) => (
        <button key={r.name} className="pkg-tag" title={r.description} onClick={() => void packagesStore.getState().select(r.name)}>{r.name}</button>
      ))}
    </section>
  );
}

function SearchPanel() {
  const query = usePackages((s) => s.query);
  const category = usePackages((s) => s.category);
  const categories = Object.entries(usePackages((s) => s.categories));
  const hits = usePackages((s) => s.hits);
  const unreachable = usePackages((s) => s.unreachable);
  const repositoryWarnings = usePackages((s) => s.repositoryWarnings);
  const selected = usePackages((s) => s.selected);
  const installed = usePackages(useShallow((s) => selectInstalledInSelectedEnv(s).map((r) => r.name)));
  const actions = packagesStore.getState();

  return (
    <section className="pkg-search" aria-label="Package search">
      <div className="pkg-search-row">
        <input type="search" aria-label="Search packages" placeholder="Search packages (name, tag, description)" value={query} onChange={(e) => void actions.search(e.target.value)} />
        <select aria-label="Category" value={category} onChange={(e) => void actions.search(query, e.target.value)}>
          <option value="">All categories</option>
          {categories.map(([id, title]) => <option key={id} value={id}>{title}</option>)}
        </select>
      </div>
      {unreachable.map((r) => <p key={r.location} className="pkg-dim pkg-unreachable">⚠ {r.error ?? `${r.location} is unreachable`}</p>)}
      {repositoryWarnings.map((warning) => <p key={warning} className="pkg-dim pkg-unreachable">⚠ {warning}</p>)}
      {hits.length === 0 && <p className="empty">No packages match.</p>}
      <ul className="pkg-results" aria-label="Search results">
        {hits.map((entry) => (
          <li key={entry.name}>
            <button className={`pkg-result${entry.name === selected ? ' active' : ''}`} aria-label={`Package ${entry.name}`} onClick={() => void actions.select(entry.name)}>
              <span className="pkg-result-head">
                <span className="pkg-name">{entry.name}</span>
                <span className="pkg-dim">{entry.versions[0]?.version ?? 'unavailable'}</span>
                {installed.includes(entry.name) && <span className="pkg-badge">installed</span>}
              </span>
              <span className="pkg-desc">{entry.description}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
