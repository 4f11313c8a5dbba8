// The main area: one group of tabs, or two side by side with a splitter between them. A tab is a session's
// script or a main view from the registry (Ol-Fi, Metrics, …). Each group's tab strip is a tablist: the
// arrow keys, Home and End move between its tabs, Enter or Space shows one, Delete closes it; a tab can be
// dragged to the other group or sent there with the strip's button (or Ctrl/Cmd+\).
import { useEffect, useRef, useState, type DragEvent, type KeyboardEvent, type RefObject } from 'react';
import { useEditor, selectDocument } from '../../stores/editor';
import { layoutStore, useLayout } from '../../stores/layout';
import { SessionTabLabel, SessionTabPanel } from '../editor/SessionTab';
import { mainView } from '../view-registry';
import { closeTab, focusGroup, focusTab, moveToOtherGroup, parseTab, setSplitRatio, type TabGroup, type TabId } from './main-area-layout';
import { Splitter } from './Splitter';
import { ViewErrorBoundary } from './ViewErrorBoundary';

const TAB_MIME = 'application/x-bioxen-tab';

export function MainArea() {
  const groups = useLayout((state) => state.layout.groups);
  const focused = useLayout((state) => state.layout.focusedGroup);
  const ratio = useLayout((state) => state.layout.splitRatio);
  const problem = useLayout((state) => state.problem);
  const area = useRef<HTMLElement>(null);
  const width = useWidth(area);
  const split = groups.length === 2;
  const leftWidth = Math.round(ratio * width);

  return (
    <section ref={area} className="main-area" aria-label="Main area" style={{ gridTemplateColumns: split ? `${ratio}fr 4px ${1 - ratio}fr` : '1fr' }}>
      {problem && <p className="wb-problem main-area-problem" role="alert">{problem}</p>}
      <GroupView index={0} group={groups[0]!} focused={focused === 0} split={split} />
      {split && (
        <>
          <Splitter
            orientation="vertical"
            label="Resize the two tab groups"
            size={leftWidth}
            onResize={(px) => width > 0 && layoutStore.getState().change((layout) => setSplitRatio(layout, px / width), { debounce: true })}
          />
          <GroupView index={1} group={groups[1]!} focused={focused === 1} split={split} />
        </>
      )}
    </section>
  );
}

function useWidth(element: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const node = element.current;
    if (!node) return;
    const observer = new ResizeObserver(([entry]) => setWidth(entry?.contentRect.width ?? 0));
    observer.observe(node);
    return () => observer.disconnect();
  }, [element]);
  return width;
}

function groupName(index: number, split: boolean) {
  return split ? (index === 0 ? 'Left tab group' : 'Right tab group') : 'Tab group';
}

function GroupView({ index, group, focused, split }: { index: number; group: TabGroup; focused: boolean; split: boolean }) {
  const change = layoutStore.getState().change;
  const tablist = useRef<HTMLDivElement>(null);
  const [dropping, setDropping] = useState(false);
  const name = groupName(index, split);
  const otherSide = split ? (index === 0 ? 'right' : 'left') : 'right';

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const tabs = [...(tablist.current?.querySelectorAll<HTMLElement>('[role="tab"]') ?? [])];
    const at = tabs.indexOf(document.activeElement as HTMLElement);
    if (at < 0) return;
    const moveTo = (target: number) => {
      event.preventDefault();
      tabs[(target + tabs.length) % tabs.length]?.focus();
    };
    if (event.key === 'ArrowRight') moveTo(at + 1);
    else if (event.key === 'ArrowLeft') moveTo(at - 1);
    else if (event.key === 'Home') moveTo(0);
    else if (event.key === 'End') moveTo(tabs.length - 1);
    else if (event.key === 'Delete') {
      event.preventDefault();
      const tab = group.tabs[at];
      if (tab) change((layout) => closeTab(layout, tab));
    }
  };

  const onDrop = (event: DragEvent) => {
    setDropping(false);
    const tab = event.dataTransfer.getData(TAB_MIME);
    if (!tab || group.tabs.includes(tab)) return;
    event.preventDefault();
    change((layout) => moveToOtherGroup(layout, tab));
  };
  const onDragOver = (event: DragEvent) => {
    if (!event.dataTransfer.types.includes(TAB_MIME)) return;
    event.preventDefault();
    setDropping(true);
  };

  return (
    <section
      className={`tab-group${focused ? ' focused' : ''}${dropping ? ' dropping' : ''}`}
      aria-label={name}
      onFocusCapture={() => change((layout) => focusGroup(layout, index))}
      onPointerDownCapture={() => change((layout) => focusGroup(layout, index))}
      onDragOver={onDragOver}
      onDragLeave={() => setDropping(false)}
      onDrop={onDrop}
    >
      <div className="tab-strip">
        <div ref={tablist} role="tablist" aria-label={`${name} tabs`} className="editor-tabs" onKeyDown={onKeyDown}>
          {group.tabs.map((tab) => (
            <Tab key={tab} tab={tab} selected={tab === group.active} />
          ))}
        </div>
        {group.active && (
          <button
            className="tab-strip-action"
            aria-label={`Move the active tab to the ${otherSide} group`}
            title={`Move the active tab to the ${otherSide} group (Ctrl/Cmd+\\)`}
            disabled={!split && group.tabs.length < 2}
            onClick={() => change((layout) => moveToOtherGroup(layout, group.active!))}
          >
            {otherSide === 'right' ? '⇥' : '⇤'}
          </button>
        )}
      </div>
      {group.active ? <TabPanel key={group.active} tab={group.active} /> : <EmptyGroup />}
    </section>
  );
}

/** A tab's accessible name and tooltip. */
function useTabTitle(tab: TabId): string {
  const ref = parseTab(tab);
  const scriptName = useEditor((state) => (ref?.kind === 'session' ? selectDocument(ref.id)(state)?.scriptName : undefined));
  if (ref?.kind === 'session') return `${ref.id} — ${scriptName ?? `${ref.id}.lua`}`;
  return mainView(ref?.id ?? '')?.title ?? tab;
}

function Tab({ tab, selected }: { tab: TabId; selected: boolean }) {
  const ref = parseTab(tab);
  const title = useTabTitle(tab);
  const view = ref?.kind === 'view' ? mainView(ref.id) : undefined;
  const change = layoutStore.getState().change;
  return (
    <div className={`editor-tab-wrap${selected ? ' selected' : ''}`} role="presentation">
      <button
        role="tab"
        id={tabElementId(tab)}
        aria-selected={selected}
        aria-controls={selected ? panelElementId(tab) : undefined}
        tabIndex={selected ? 0 : -1}
        className="editor-tab"
        title={title}
        draggable
        onDragStart={(event) => {
          event.dataTransfer.setData(TAB_MIME, tab);
          event.dataTransfer.effectAllowed = 'move';
        }}
        onClick={() => change((layout) => focusTab(layout, tab))}
        onAuxClick={(event) => event.button === 1 && change((layout) => closeTab(layout, tab))}
      >
        {ref?.kind === 'session' ? <SessionTabLabel sessionId={ref.id} /> : <span>{view?.title ?? tab}</span>}
      </button>
      <button className="tab-close" tabIndex={-1} aria-label={`Close ${ref?.kind === 'session' ? ref.id : (view?.title ?? tab)}`} title="Close (Delete on the tab, Ctrl/Cmd+Alt+W)" onClick={() => change((layout) => closeTab(layout, tab))}>
        ×
      </button>
    </div>
  );
}

const tabElementId = (tab: TabId) => `tab-${tab.replace(/[^A-Za-z0-9_-]/g, '_')}`;
const panelElementId = (tab: TabId) => `panel-${tab.replace(/[^A-Za-z0-9_-]/g, '_')}`;

function TabPanel({ tab }: { tab: TabId }) {
  const ref = parseTab(tab);
  if (ref?.kind === 'session') {
    return (
      <div role="tabpanel" id={panelElementId(tab)} aria-label={`Script of ${ref.id}`} className="tab-panel">
        <ViewErrorBoundary name="Editor">
          <SessionTabPanel sessionId={ref.id} />
        </ViewErrorBoundary>
      </div>
    );
  }
  const view = mainView(ref?.id ?? '');
  if (!view) return null;
  const View = view.component;
  return (
    <div role="tabpanel" id={panelElementId(tab)} aria-labelledby={tabElementId(tab)} className="tab-panel view-panel">
      <ViewErrorBoundary name={view.title}>
        <View />
      </ViewErrorBoundary>
    </div>
  );
}

function EmptyGroup() {
  return (
    <div className="editor-empty">
      <p>Nothing open.</p>
      <p>Create a session in the Sessions view (each session gets its own script and console), or open Ol-Fi, Metrics or Welcome from the bar on the left.</p>
    </div>
  );
}
