// SessionManager: the seed's lifecycle view over the manager's sessions.
import type { InteractiveSession } from './interactive-session';
import type { SessionInfo } from './types';

interface SessionOwner {
  listSessions(): SessionInfo[];
  getSession(vmId: string): InteractiveSession;
  terminateVMSession(vmId: string): Promise<void>;
}

export class SessionManager {
  constructor(private readonly owner: SessionOwner) {}

  /** Every session by id, as the seed's `list_sessions()` dict. */
  listSessions(): Record<string, SessionInfo> {
    return Object.fromEntries(this.owner.listSessions().map((info) => [info.id, info]));
  }

  getSession(vmId: string): InteractiveSession {
    return this.owner.getSession(vmId);
  }

  terminateSession(vmId: string): Promise<void> {
    return this.owner.terminateVMSession(vmId);
  }
}
