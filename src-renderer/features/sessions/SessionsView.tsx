// The Sessions sidebar: the list with live state and memory, the actions on each, and "New session".
import { useShallow } from 'zustand/react/shallow';
import type { SessionInfo } from '../../../src-preload/contract/sessions';
import { visibleText } from '../../../src-preload/contract/outside-values';
import { selectActiveId, selectSessionList, sessionsStore, useSessions } from '../../stores/sessions';
import { formatMemory, StateBadge } from './StateBadge';
import { showSession } from '../layout/main-area-commands';

export function SessionsView() {
  const sessions = useSessions(useShallow(selectSessionList));
  const activeId = useSessions(selectActiveId);
  const hydrated = useSessions((state) => state.hydrated);

  return (
    <section className="sessions-view" aria-label="Sessions">
      <header className="view-header">
        <h1>Sessions</h1>
        <button className="primary" onClick={() => sessionsStore.getState().setCreateDialogOpen(true)}>New session</button>
      </header>
      {hydrated && sessions.length === 0 && <p className="wb-empty">No sessions yet. Create one to run Lua.</p>}
      <ul className="session-list" aria-label="Session list">
        {sessions.map((info) => (
          <SessionItem key={info.id} info={info} active={info.id === activeId} />
        ))}
      </ul>
    </section>
  );
}

function SessionItem({ info, active }: { info: SessionInfo; active: boolean }) {
  const actions = sessionsStore.getState();
  const alive = info.state !== 'exited' && info.state !== 'crashed';
  return (
    <li className={`session-item${active ? ' active' : ''}`} aria-label={`Session ${info.id}`} aria-current={active ? 'true' : undefined}>
      <button className="session-open" onClick={() => showSession(info.id)} title={visibleText(info.reason ?? info.luaExecutable)}>
        <span className="session-id">{info.id}</span>
        <StateBadge state={info.state} />
      </button>
      <div className="session-meta">
        <span>{visibleText(info.luaVersion)}</span>
        <span aria-label="memory">{formatMemory(info.memoryKb)}</span>
        {info.persistent && <span>persistent</span>}
        {info.environment && <span>env {visibleText(info.environment)}</span>}
      </div>
      {info.reason && <p className="session-reason">{visibleText(info.reason)}</p>}
      <div className="session-actions">
        {info.attached ? (
          <button onClick={() => void actions.detach(info.id)} aria-label={`Detach ${info.id}`}>Detach</button>
        ) : (
          <button onClick={() => void actions.attach(info.id)} aria-label={`Attach ${info.id}`}>Attach</button>
        )}
        <button onClick={() => void actions.interrupt(info.id)} disabled={info.state !== 'busy'} aria-label={`Interrupt ${info.id}`}>Interrupt</button>
        <button onClick={() => void actions.restart(info.id)} aria-label={`Restart ${info.id}`}>Restart</button>
        <button className="danger" onClick={() => void actions.terminate(info.id)} aria-label={`Terminate ${info.id}`}>{alive ? 'Terminate' : 'Remove'}</button>
      </div>
    </li>
  );
}
