// The message of the invalid-argument error a pure function throws, for unit tests of validation.
import assert from 'node:assert/strict';
import { isBerthError } from '../../src/base/errors.js';

/** The invalid-argument error `run` throws, with its message; fails the test when it throws none or another. */
export function refusal(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    assert.ok(isBerthError(err, 'invalid-argument'), `expected invalid-argument, got ${String(err)}`);
    return err.message;
  }
  assert.fail('expected a refusal');
}
