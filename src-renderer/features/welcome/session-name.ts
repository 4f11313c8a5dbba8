// A session named after the script it opens, so the Sessions list says what each one runs.
/** "logistic-growth.lua" → "logistic-growth", or "logistic-growth-2" when that session exists. */
export function sessionIdFor(scriptName: string, taken: Iterable<string>): string {
  const stem = scriptName.replace(/\.lua$/, '').replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 56) || 'session';
  const used = new Set(taken);
  if (!used.has(stem)) return stem;
  let n = 2;
  while (used.has(`${stem}-${n}`)) n++;
  return `${stem}-${n}`;
}
