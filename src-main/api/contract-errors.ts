// Turns anything a handler throws into the contract's error envelope: a stable code and a message
// for people. Stack traces stay in the main process log.
import { ERROR_CODES, type ContractError, type ErrorCode } from '../../src-preload/contract/define';

/** Engine and service error classes, by name, for errors that carry no `code` of their own. */
const CODE_BY_ERROR_NAME: Readonly<Record<string, ErrorCode>> = {
  SessionNotFoundError: 'not_found',
  SessionAlreadyExistsError: 'already_exists',
  AttachError: 'conflict',
  DetachError: 'conflict',
  InteractiveSessionError: 'conflict',
  LuaVMError: 'lua_error',
  VMManagerError: 'unavailable',
  ZodError: 'invalid_input',
  AbortError: 'timeout',
  TimeoutError: 'timeout',
};

export type Logger = (message: string) => void;

export function toContractError(err: unknown, method: string, log: Logger): ContractError {
  const known = knownCode(err);
  if (known) return { code: known, message: messageOf(err) };
  log(`[api] ${method} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return { code: 'internal', message: `${method} failed unexpectedly: ${messageOf(err)} (details are in the workbench log)` };
}

function knownCode(err: unknown): ErrorCode | undefined {
  if (!(err instanceof Error)) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code)) return code as ErrorCode;
  // Own entries only: an error named "constructor" or "toString" must not find Object.prototype's members.
  const byName = (name: unknown) => (typeof name === 'string' && Object.hasOwn(CODE_BY_ERROR_NAME, name) ? CODE_BY_ERROR_NAME[name] : undefined);
  return byName(err.name) ?? byName(err.constructor?.name);
}

function messageOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // Only the first line: engine messages may append a traceback, which the UI gets through ExecResult instead.
  return (text.split('\n')[0] ?? '').slice(0, 2000) || 'no message';
}

export function describeZodIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}
