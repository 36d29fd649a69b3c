/**
 * How a fuzz target tells a refusal from a finding: parsers of untrusted input refuse it with a
 * BerthError of a documented kind (invalid-argument, and for some inputs another kind the parser
 * documents). Anything else thrown (TypeError, RangeError, SyntaxError, a stack overflow, a
 * BerthError of another kind) propagates, and the fuzzer reports it as a crash.
 */
import { isBerthError, type ErrorKind } from '../../src/base/errors.js';

export const INVALID: readonly ErrorKind[] = ['invalid-argument'];

/** Returns when `err` is a documented refusal; rethrows it otherwise. */
export function acceptRefusal(err: unknown, kinds: readonly ErrorKind[] = INVALID): void {
  if (isBerthError(err) && kinds.includes(err.kind)) return;
  throw err;
}

/** Runs `parse`; a documented refusal counts as a normal outcome. */
export function refusing<T>(parse: () => T, kinds: readonly ErrorKind[] = INVALID): T | undefined {
  try {
    return parse();
  } catch (err) {
    acceptRefusal(err, kinds);
    return undefined;
  }
}

/** `refusing` for asynchronous parsers. */
export async function refusingAsync<T>(parse: () => Promise<T>, kinds: readonly ErrorKind[] = INVALID): Promise<T | undefined> {
  try {
    return await parse();
  } catch (err) {
    acceptRefusal(err, kinds);
    return undefined;
  }
}

/** Fails the run when a property the parser promises does not hold. */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`fuzz check failed: ${message}`);
}
