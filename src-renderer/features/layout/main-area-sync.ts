// Keeps the main area's tabs in step with the stores whose state they show:
// - sessions: a new session opens its tab, an ended one closes it, and the session whose script is shown
//   (in the focused group, else in the other) is the active one, whose console is below.
// - packages: choosing a package opens "Package details"; closing that tab clears the choice.
// - first start (nothing saved yet): the welcome tab.
// Saved session tabs wait for the sessions to arrive before the ones that ended are dropped.
import { layoutStore } from '../../stores/layout';
import { packagesStore } from '../../stores/packages';
import { sessionsStore } from '../../stores/sessions';
import { mainView } from '../view-registry';
import { closeTab, focusedTab, openTab, parseTab, pruneTabs, sessionTab, viewTab, type MainAreaLayout, type TabId } from './main-area-layout';

const PACKAGE_TAB = viewTab('package');
const WELCOME_TAB = viewTab('welcome');

/** Tabs a saved layout may bring back before the sessions are known: main views, and sessions (checked later). */
export function isRestorableTab(tab: TabId): boolean {
  const ref = parseTab(tab);
  if (!ref) return false;
  return ref.kind === 'session' || (mainView(ref.id) !== undefined && tab !== PACKAGE_TAB);
}

export function syncMainArea(): () => void {
  const change = layoutStore.getState().change;
  let ready = false;

  const isLive = (tab: TabId) => {
    const ref = parseTab(tab);
    if (ref?.kind === 'session') return sessionsStore.getState().infos[ref.id] !== undefined;
    return tab !== PACKAGE_TAB || packagesStore.getState().selected !== null;
  };

  /** The session whose script the focused tab shows becomes the active one; else the one visible in a group. */
  const activeSessionFor = (layout: MainAreaLayout): string | null => {
    const shown = [focusedTab(layout), ...layout.groups.map((group) => group.active)];
    for (const tab of shown) {
      const ref = tab ? parseTab(tab) : null;
      if (ref?.kind === 'session') return ref.id;
    }
    return null;
  };
  const followLayout = () => {
    const id = activeSessionFor(layoutStore.getState().layout);
    if (id && id !== sessionsStore.getState().activeId) sessionsStore.getState().setActive(id);
  };

  const start = () => {
    if (ready || !layoutStore.getState().loaded || !sessionsStore.getState().hydrated) return;
    ready = true;
    const { firstStart } = layoutStore.getState();
    change((layout) => {
      let next = pruneTabs(layout, isLive);
      if (firstStart) {
        for (const id of Object.keys(sessionsStore.getState().infos)) next = openTab(next, sessionTab(id));
        next = openTab(next, WELCOME_TAB);
      }
      return next;
    });
    followLayout();
  };

  const stops = [
    layoutStore.subscribe((state, previous) => {
      if (!ready) return start();
      if (state.layout === previous.layout) return;
      followLayout();
      const packageTabGone = previous.layout.groups.some((group) => group.tabs.includes(PACKAGE_TAB)) && !state.layout.groups.some((group) => group.tabs.includes(PACKAGE_TAB));
      if (packageTabGone && packagesStore.getState().selected !== null) void packagesStore.getState().select(null);
    }),
    sessionsStore.subscribe((state, previous) => {
      if (!ready) return start();
      if (state.infos === previous.infos) return;
      const added = Object.keys(state.infos).filter((id) => !previous.infos[id]);
      const removed = Object.keys(previous.infos).filter((id) => !state.infos[id]);
      change((layout) => added.reduce((next, id) => openTab(next, sessionTab(id)), removed.reduce((next, id) => closeTab(next, sessionTab(id)), layout)));
    }),
    packagesStore.subscribe((state, previous) => {
      if (!ready || state.selected === previous.selected) return;
      change((layout) => (state.selected === null ? closeTab(layout, PACKAGE_TAB) : openTab(layout, PACKAGE_TAB)));
    }),
  ];
  start();
  return () => stops.forEach((stop) => stop());
}

