// The workbench window: activity bar, sidebar, the main area's tabs over the console, status bar. Each view
// sits in its own error boundary, so one view's failure shows in that view while the others keep working.
import { useEffect, useState } from 'react';
import { bridge } from './bridge';
import { applyMonacoTheme } from './monaco';
import { ConsolePanel } from './features/console/ConsolePanel';
import { watchSessionDocuments } from './features/editor/document-lifecycle';
import { listenToAppCommands } from './features/editor/app-commands';
import { installWorkbenchShortcuts } from './features/editor/workbench-shortcuts';
import { ScriptDialogs } from './features/editor/ScriptDialogs';
import { BreakpointDialog } from './features/debug/BreakpointDialog';
import { installDebugging } from './features/debug/install-debugging';
import { ActivityBar } from './features/layout/ActivityBar';
import { CreateSessionDialog } from './features/sessions/CreateSessionDialog';
import { ErrorBanner } from './features/layout/ErrorBanner';
import { MainArea } from './features/layout/MainArea';
import { openMainView } from './features/layout/main-area-commands';
import { isRestorableTab, syncMainArea } from './features/layout/main-area-sync';
import { focusedTab, parseTab } from './features/layout/main-area-layout';
import { Splitter } from './features/layout/Splitter';
import { ViewErrorBoundary } from './features/layout/ViewErrorBoundary';
import { SettingsDialog } from './features/settings/SettingsDialog';
import { mainViews, sidebarViews } from './features/view-registry';
import { StatusBar } from './features/status/StatusBar';
import { layoutStore, useLayout } from './stores/layout';
import { sessionsStore } from './stores/sessions';
import { selectTheme, settingsStore, useSettings } from './stores/settings';

export function App() {
  const [viewId, setViewId] = useState(sidebarViews[0]!.id);
  const layout = useSettings((state) => state.layout);
  const theme = useSettings(selectTheme);
  const view = sidebarViews.find((candidate) => candidate.id === viewId) ?? sidebarViews[0]!;
  const shown = useLayout((state) => focusedTab(state.layout));
  const shownRef = shown ? parseTab(shown) : null;

  useEffect(() => {
    const stops = [
      sessionsStore.getState().connect(),
      settingsStore.getState().connect(),
      layoutStore.getState().connect(isRestorableTab),
      syncMainArea(),
      watchSessionDocuments(),
      installWorkbenchShortcuts(window),
      listenToAppCommands(bridge()),
      installDebugging(),
    ];
    return () => stops.forEach((stop) => stop());
  }, []);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    applyMonacoTheme(theme);
  }, [theme]);

  const { setLayout, setSettingsOpen } = settingsStore.getState();
  const View = view.component;
  const sidebarWidth = layout.sidebarWidths[view.id] ?? view.width;

  return (
    <div className="workbench" style={{ gridTemplateColumns: `48px ${sidebarWidth}px 4px 1fr` }}>
      <ActivityBar
        sidebarViews={sidebarViews}
        mainViews={mainViews}
        activeId={view.id}
        shownMainId={shownRef?.kind === 'view' ? shownRef.id : null}
        onSelect={setViewId}
        onOpen={openMainView}
        onSettings={() => setSettingsOpen(true)}
      />
      <aside className="sidebar" aria-label={`${view.title} sidebar`}>
        <ViewErrorBoundary key={view.id} name={view.title}>
          <View />
        </ViewErrorBoundary>
      </aside>
      <Splitter orientation="vertical" label="Resize sidebar" size={sidebarWidth} onResize={(width) => setLayout({ sidebarWidths: { ...layout.sidebarWidths, [view.id]: width } })} />
      <main className="wb-main">
        <ErrorBanner />
        <ViewErrorBoundary name="Main area">
          <MainArea />
        </ViewErrorBoundary>
        <Splitter orientation="horizontal" label="Resize console" size={layout.consoleHeight} reverse onResize={(consoleHeight) => setLayout({ consoleHeight })} />
        <div className="console-pane" style={{ height: layout.consoleHeight }}>
          <ViewErrorBoundary name="Console">
            <ConsolePanel />
          </ViewErrorBoundary>
        </div>
      </main>
      <ViewErrorBoundary name="Status bar">
        <StatusBar />
      </ViewErrorBoundary>
      <ViewErrorBoundary name="New session">
        <CreateSessionDialog />
      </ViewErrorBoundary>
      <ViewErrorBoundary name="Settings">
        <SettingsDialog />
      </ViewErrorBoundary>
      <ViewErrorBoundary name="Scripts">
        <ScriptDialogs />
      </ViewErrorBoundary>
      <ViewErrorBoundary name="Breakpoint">
        <BreakpointDialog />
      </ViewErrorBoundary>
    </div>
  );
}
