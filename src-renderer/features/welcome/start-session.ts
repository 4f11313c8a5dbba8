// The welcome tab's one-click starts: a new session for a script, with the same create/open/run steps the
// Sessions view and the editor's toolbar use, so the result is an ordinary session a user could have made.
import { bridge } from '../../bridge';
import { scriptDocuments } from '../../monaco';
import { sessionsStore } from '../../stores/sessions';
import { runInSession } from '../editor/run-code';
import { sessionIdFor } from './session-name';

async function newSessionFor(scriptName: string): Promise<string | null> {
  const id = sessionIdFor(scriptName, Object.keys(sessionsStore.getState().infos));
  // Ol-Fi on, as in the New session dialog: the quorum example sends its frames.
  const info = await sessionsStore.getState().create({ id, capabilities: { olfi: true } });
  if (!info) return null;
  await scriptDocuments.open(info.id);
  await scriptDocuments.openScript(info.id, scriptName);
  return info.id;
}

/**
 * A session running a copy of the bundled example. The copy is made first, under a free name, and the
 * session is named after it, so its editor's script is the copy (no empty `<id>.lua` beside a `-2` copy).
 * Failures of the session land in the error banner; a failed copy throws.
 */
export async function startExample(example: string): Promise<void> {
  const { meta } = await bridge().invoke('workspace:fromExample', { example });
  const id = await newSessionFor(meta.name);
  if (id) await runInSession(id, 'buffer');
}

/** A session whose editor holds one of the user's scripts (not run: it is theirs to look at first). */
export async function openScriptInNewSession(name: string): Promise<void> {
  await newSessionFor(name);
}
