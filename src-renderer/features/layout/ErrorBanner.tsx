// The last failed action, in words, until dismissed.
import { sessionsStore, useSessions } from '../../stores/sessions';

export function ErrorBanner() {
  const message = useSessions((state) => state.lastError);
  if (!message) return null;
  return (
    <div className="error-banner" role="alert">
      <span>{message}</span>
      <button onClick={() => sessionsStore.getState().dismissError()} aria-label="Dismiss error">×</button>
    </div>
  );
}
