// The welcome tab's one-click starts: a new session for a script, with the same create/open/run steps the
// Sessions view and the editor's toolbar use, so the result is an ordinary session a user could have made.
import { scriptDocuments } from '../../monaco';
import { sessionsStore } from '../../stores/sessions';
import { runInSession } from '../editor/run-code';

/** "logistic-growth.lua" → "logistic-growth", or "logistic-growth-2" when that session exists. */
export function sessionIdFor(scriptName: string, taken: Iterable<string>): string {
  const stem = scriptName.replace(/\.lua$/, '').replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 56) || 'session';
  const used = new Set(taken);
  if (!used.has(stem)) return stem;
  let n = 2;
  while (used.has(`${stem}-${n}`)) n++;
  return `${stem}-${n}`;
}

async function newSessionFor(scriptName: string): Promise<string | null> {
  const id = sessionIdFor(scriptName, Object.keys(sessionsStore.getState().infos));
  // Ol-Fi on, as in the New session dialog: the quorum example sends its frames.
  const info = await sessionsStore.getState().create({ id, capabilities: { olfi: true } });
  if (!info) return null;
  await scriptDocuments.open(info.id);
  return info.id;
}

/** A session whose editor holds a copy of the bundled example, running it. Failures land in the error banner. */
export async function startExample(example: string): Promise<void> {
  const id = await newSessionFor(example);
  if (!id) return;
  await scriptDocuments.newFromExample(id, example);
  await runInSession(id, 'buffer');
}

/** A session whose editor holds one of the user's scripts (not run: it is theirs to look at first). */
export async function openScriptInNewSession(name: string): Promise<void> {
  const id = await newSessionFor(name);
  if (id) await scriptDocuments.openScript(id, name);
}
