// The bottom line: connection, the active session's Lua version, state and memory, and the transport.
import { selectActiveSession, useSessions } from '../../stores/sessions';
import { useSettings } from '../../stores/settings';
import { formatMemory } from '../sessions/StateBadge';

export function StatusBar() {
  const connection = useSessions((state) => state.connection);
  const session = useSessions(selectActiveSession);
  const transport = useSettings((state) => state.appInfo?.transport);

  return (
    <footer className="status-bar" role="contentinfo" aria-label="Status bar">
      <span className={`connection connection-${connection}`}>
        {connection === 'open' ? 'Connected' : connection === 'connecting' ? 'Connecting…' : 'Disconnected — reconnecting'}
      </span>
      {session && (
        <>
          <span aria-label="Lua version">{session.luaVersion}</span>
          <span aria-label="Session state">{session.id}: {session.state}</span>
          <span aria-label="Session memory">{formatMemory(session.memoryKb)}</span>
        </>
      )}
      <span className="wb-spacer" />
      {transport && <span>{transport === 'electron' ? 'Electron' : 'Browser host'}</span>}
    </footer>
  );
}
