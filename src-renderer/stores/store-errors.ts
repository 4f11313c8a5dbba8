// How a store turns a failed call into the text of its error banner — what it was doing, then why it failed — in
// one place, so every banner reads the same way.
import { errorMessage } from '../bridge';

export function failureText(what: string, error: unknown): string {
  return `${what}: ${errorMessage(error)}`;
}

/** Runs `call`; a failure goes to the banner through `report` instead of being thrown, and gives null. */
export async function reported<T>(what: string, call: () => Promise<T>, report: (text: string) => void): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    report(failureText(what, error));
    return null;
  }
}
