// Every view of the workbench and where it lives; a feature adds its view with one line below.
// - 'sidebar': a list beside the main area (sessions, packages); the activity bar shows one at a time.
// - 'main': a tab in the main area beside the scripts, where there is room for tables and charts; the
//   activity bar opens it (or focuses it when it is open). `launcher: false` leaves it out of the activity
//   bar, for a view something else opens (the package detail opens when a package is chosen in the list).
import type { ComponentType } from 'react';
import { PackagesView } from './packages/PackagesView';
import { PackageDetailPane } from './packages/PackageDetailPane';
import { SessionsView } from './sessions/SessionsView';
import { MetricsView } from './metrics/MetricsView';
import { OlFiView } from './olfi/OlFiView';
import { InspectorView } from './inspector/InspectorView';
import { DebugView } from './debug/DebugView';
import { WelcomeView } from './welcome/WelcomeView';

interface ViewBase {
  id: string;
  title: string;
  /** A short glyph drawn in the activity bar; the title is its accessible name. */
  icon: string;
  component: ComponentType;
}

export interface SidebarView extends ViewBase {
  place: 'sidebar';
  /** Sidebar width in px until the user drags it. */
  width: number;
}

export interface MainView extends ViewBase {
  place: 'main';
  launcher?: false;
}

export type WorkbenchView = SidebarView | MainView;

export const views: readonly WorkbenchView[] = [
  { place: 'sidebar', id: 'sessions', title: 'Sessions', icon: '▶', width: 280, component: SessionsView },
  { place: 'sidebar', id: 'packages', title: 'Packages', icon: '⬢', width: 440, component: PackagesView },
  { place: 'sidebar', id: 'debug', title: 'Debug', icon: '⛭', width: 360, component: DebugView },
  { place: 'main', id: 'olfi', title: 'Ol-Fi', icon: '≋', component: OlFiView },
  { place: 'main', id: 'metrics', title: 'Metrics', icon: '∿', component: MetricsView },
  { place: 'main', id: 'inspector', title: 'Variables', icon: '𝑥', component: InspectorView },
  { place: 'main', id: 'package', title: 'Package details', icon: '⬢', component: PackageDetailPane, launcher: false },
  { place: 'main', id: 'welcome', title: 'Welcome', icon: '?', component: WelcomeView },
];

export const sidebarViews = views.filter((view): view is SidebarView => view.place === 'sidebar');
export const mainViews = views.filter((view): view is MainView => view.place === 'main');

export function mainView(id: string): MainView | undefined {
  return mainViews.find((view) => view.id === id);
}
