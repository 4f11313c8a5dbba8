// The activity bar's views. Each feature adds one line here: {id, title, icon, component}.
import type { ComponentType } from 'react';
import { PackagesView } from './packages/PackagesView';
import { SessionsView } from './sessions/SessionsView';
import { MetricsView } from './metrics/MetricsView';
import { OlFiView } from './olfi/OlFiView';
import { InspectorView } from './inspector/InspectorView';

export interface SidebarView {
  id: string;
  title: string;
  /** A short glyph drawn in the activity bar; the title is its accessible name. */
  icon: string;
  /** Sidebar width in px until the user drags it: lists are narrow, live tables and charts are wide. */
  width: number;
  component: ComponentType;
}

export const sidebarViews: SidebarView[] = [
  { id: 'sessions', title: 'Sessions', icon: '▶', width: 280, component: SessionsView },
  { id: 'packages', title: 'Packages', icon: '⬢', width: 440, component: PackagesView },
  { id: 'metrics', title: 'Metrics', icon: '∿', width: 620, component: MetricsView },
  { id: 'olfi', title: 'Ol-Fi', icon: '≋', width: 620, component: OlFiView },
  { id: 'inspector', title: 'Variables', icon: '𝑥', width: 440, component: InspectorView },
];
