// The narrow bar on the left: the sidebar's lists as tabs (one shown at a time), then a button per main
// view that opens it as a tab in the main area (or shows it where it is open), settings at the bottom.
import type { MainView, SidebarView } from '../view-registry';

export interface ActivityBarProps {
  sidebarViews: readonly SidebarView[];
  mainViews: readonly MainView[];
  activeId: string;
  /** The main view whose tab has the focus, if any. */
  shownMainId: string | null;
  onSelect(id: string): void;
  onOpen(id: string): void;
  onSettings(): void;
}

export function ActivityBar({ sidebarViews, mainViews, activeId, shownMainId, onSelect, onOpen, onSettings }: ActivityBarProps) {
  return (
    <nav className="activity-bar" aria-label="Views">
      <div role="tablist" aria-orientation="vertical" aria-label="Sidebar views">
        {sidebarViews.map((view) => (
          <button
            key={view.id}
            role="tab"
            aria-selected={view.id === activeId}
            aria-label={view.title}
            title={view.title}
            className="activity-button"
            onClick={() => onSelect(view.id)}
          >
            <span aria-hidden="true">{view.icon}</span>
          </button>
        ))}
      </div>
      <div role="group" aria-label="Open in the main area" className="activity-launchers">
        {mainViews.filter((view) => view.launcher !== false).map((view) => (
          <button
            key={view.id}
            aria-label={view.title}
            aria-current={view.id === shownMainId ? 'page' : undefined}
            title={`${view.title} (opens as a tab in the main area)`}
            className="activity-button"
            onClick={() => onOpen(view.id)}
          >
            <span aria-hidden="true">{view.icon}</span>
          </button>
        ))}
      </div>
      <button className="activity-button activity-settings" aria-label="Settings" title="Settings" onClick={onSettings}>
        <span aria-hidden="true">⚙</span>
      </button>
    </nav>
  );
}
