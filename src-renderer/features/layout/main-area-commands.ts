// What the rest of the window asks of the main area, in its words.
import { layoutStore } from '../../stores/layout';
import { closeTab, cycleTab, focusedTab, moveToOtherGroup, openTab, sessionTab, viewTab } from './main-area-layout';

/** The Sessions list: show the session's script (opening its tab again if it was closed). */
export function showSession(id: string) {
  layoutStore.getState().change((layout) => openTab(layout, sessionTab(id)));
}

/** The activity bar's launchers and the Welcome command: open a main view, or show it where it is open. */
export function openMainView(id: string) {
  layoutStore.getState().change((layout) => openTab(layout, viewTab(id)));
}

export function closeFocusedTab() {
  layoutStore.getState().change((layout) => {
    const tab = focusedTab(layout);
    return tab ? closeTab(layout, tab) : layout;
  });
}

export function moveFocusedTabToOtherGroup() {
  layoutStore.getState().change((layout) => {
    const tab = focusedTab(layout);
    return tab ? moveToOtherGroup(layout, tab) : layout;
  });
}

export function showNextTab(delta: 1 | -1) {
  layoutStore.getState().change((layout) => cycleTab(layout, delta));
}
