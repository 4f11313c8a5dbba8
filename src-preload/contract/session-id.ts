// The one rule for a session id, used by every domain that names a session (and by the CLI and the dialog).
// A leaf file: importing it does not build a domain's schemas.
import { z } from 'zod';

export const SESSION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const SESSION_ID_RULE = 'a session id is 1–64 letters, digits, "_", "." or "-", starting with a letter or digit';

export const sessionIdSchema = z.string().regex(SESSION_ID_PATTERN, SESSION_ID_RULE);
