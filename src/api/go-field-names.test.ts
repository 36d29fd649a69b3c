import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withGoFieldNames } from './go-field-names.js';

test('keys match field names ignoring case, as Go decodes JSON', () => {
  assert.deepEqual(withGoFieldNames({ detachKeys: 'ctrl-x', tty: true, Other: 1 }, ['DetachKeys', 'Tty']), { DetachKeys: 'ctrl-x', Tty: true, Other: 1 });
});

test('an exact name wins over a case-insensitive one', () => {
  assert.deepEqual(withGoFieldNames({ tty: false, Tty: true }, ['Tty']), { Tty: true });
});

test('non-objects pass through', () => {
  assert.equal(withGoFieldNames(null, ['A']), null);
  assert.deepEqual(withGoFieldNames([1], ['A']), [1]);
  assert.equal(withGoFieldNames(undefined, ['A']), undefined);
});
