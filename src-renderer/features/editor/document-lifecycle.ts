// Keeps script documents in step with sessions: when a session goes away, its editor's unsaved
// text is written and its model dropped.
import { scriptDocuments } from '../../monaco';
import { sessionsStore } from '../../stores/sessions';

export function watchSessionDocuments(): () => void {
  return sessionsStore.subscribe((state, previous) => {
    if (state.infos === previous.infos) return;
    for (const id of Object.keys(previous.infos)) if (!state.infos[id]) void scriptDocuments.close(id);
  });
}
