// The one error type the curator throws: a stable code the UI and CLI can branch on, and a message
// that names the thing and the fix.
import type { ErrorCode } from '../../src-preload/contract/define';

export class PackageError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PackageError';
  }
}
