// The bottom line: connection, the active session's Lua version, state and memory, the transport, and what went
// wrong at start (a data-dir file moved aside).
import { accessTokenMissing } from '../../bridge';
import { selectActiveSession, useSessions } from '../../stores/sessions';
import { useSettings } from '../../stores/settings';
import { formatMemory } from '../sessions/StateBadge';

const NO_WARNINGS: string[] = [];

export function StatusBar() {
  const connection = useSessions((state) => state.connection);
  const session = useSessions(selectActiveSession);
  const transport = useSettings((state) => state.appInfo?.transport);
  const warnings = useSettings((state) => state.appInfo?.warnings ?? NO_WARNINGS);

  return (
    <footer className="status-bar" role="contentinfo" aria-label="Status bar">
      <span className={`connection connection-${connection}`}>
        {connection === 'open'
          ? 'Connected'
          : accessTokenMissing()
            ? 'Not connected — this tab has no access token: open the URL that `bioxen serve` printed (it ends with #token=…)'
            : connection === 'connecting'
              ? 'Connecting…'
              : 'Disconnected — reconnecting'}
      </span>
      {session && (
        <>
          <span aria-label="Lua version">{session.luaVersion}</span>
          <span aria-label="Session state">{session.id}: {session.state}</span>
          <span aria-label="Session memory">{formatMemory(session.memoryKb)}</span>
        </>
      )}
      <span className="wb-spacer" />
      {warnings.length > 0 && (
        <span role="alert" className="status-warning" title={warnings.join('\n')}>
          ⚠ {warnings[0]}
          {warnings.length > 1 && ` (and ${warnings.length - 1} more)`}
        </span>
      )}
      {transport && <span>{transport === 'electron' ? 'Electron' : 'Browser host'}</span>}
    </footer>
  );
}
