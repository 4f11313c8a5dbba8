// Engine errors: the seed's class names, each with a stable contract `code` and a message that
// says what to do next.
import type { ErrorCode } from '../../src-preload/contract/define';
import type { VMLimits } from './types';

export class VMError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Lua execution or runner failures. */
export class LuaVMError extends VMError {
  constructor(message: string, code: ErrorCode = 'lua_error') {
    super(message, code);
  }
}

/** A script broke one of its VM's limits. */
export class LimitExceededError extends LuaVMError {
  constructor(
    message: string,
    readonly limit: keyof VMLimits,
  ) {
    super(message, 'limit_exceeded');
  }
}

/** The runner process died (killed from outside, crashed) or was terminated. */
export class VMUnavailableError extends LuaVMError {
  constructor(message: string) {
    super(message, 'unavailable');
  }
}

/** No usable Lua executable. */
export class LuaNotFoundError extends LuaVMError {
  constructor(message: string) {
    super(message, 'unavailable');
  }
}

/** A window chose a Lua interpreter the workbench did not discover (or one that cannot be added from there). */
export class LuaChoiceError extends VMError {
  constructor(message: string, code: ErrorCode = 'invalid_input') {
    super(message, code);
  }
}

export class VMManagerError extends VMError {
  constructor(message: string, code: ErrorCode = 'invalid_input') {
    super(message, code);
  }
}

export class SessionNotFoundError extends VMManagerError {
  constructor(vmId: string) {
    super(`No VM or session "${vmId}" — create it first (createVM / createInteractiveVM) or check the id with listSessions()`, 'not_found');
  }
}

export class SessionAlreadyExistsError extends VMManagerError {
  constructor(vmId: string, what = 'VM') {
    super(`A ${what} with id "${vmId}" already exists — pick another id or terminate the existing one first`, 'already_exists');
  }
}

export class InteractiveSessionError extends VMError {
  constructor(message: string, code: ErrorCode = 'conflict') {
    super(message, code);
  }
}

export class AttachError extends InteractiveSessionError {}

export class DetachError extends InteractiveSessionError {}
