// The narrow bar on the left: one button per sidebar view, settings at the bottom.
import type { SidebarView } from '../sidebar-views';

export interface ActivityBarProps {
  views: readonly SidebarView[];
  activeId: string;
  onSelect(id: string): void;
  onSettings(): void;
}

export function ActivityBar({ views, activeId, onSelect, onSettings }: ActivityBarProps) {
  return (
    <nav className="activity-bar" aria-label="Views">
      <div role="tablist" aria-orientation="vertical" aria-label="Sidebar views">
        {views.map((view) => (
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
      <button className="activity-button" aria-label="Settings" title="Settings" onClick={onSettings}>
        <span aria-hidden="true">⚙</span>
      </button>
    </nav>
  );
}
