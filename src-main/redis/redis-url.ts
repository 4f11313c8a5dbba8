// Redis URLs as people and logs may see them.

/** The URL with its password replaced, safe to show in the renderer and in logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid Redis URL)';
  }
}
