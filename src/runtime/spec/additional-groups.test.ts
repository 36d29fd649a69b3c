import { test } from 'node:test';
import assert from 'node:assert/strict';
import { additionalGroups } from './additional-groups.js';

const GROUP = 'root:x:0:\n# comment\naudio:x:29:pulse\nnobody:x:65534:\nbad:x:zz:\nnumeric:x:1234:\n';

test('names and gids resolve through the group file; other numbers are used as they are', () => {
  assert.deepEqual(additionalGroups(['audio', '65534', '777', 'numeric'], GROUP, 'f'), [29, 65534, 777, 1234]);
  assert.deepEqual(additionalGroups(['1234', '1234'], GROUP, 'f'), [1234]);
  assert.deepEqual(additionalGroups(['5'], undefined, 'f'), [5]);
  assert.deepEqual(additionalGroups([], GROUP, 'f'), []);
});

test("unknown names fail with runc's message (a name given twice too, as in runc); numbers must be ids", () => {
  assert.throws(() => additionalGroups(['video'], GROUP, 'groupAdd'), { kind: 'invalid-argument', reason: 'unknown-group', message: 'groupAdd: Unable to find group video: no matching entries in group file' });
  assert.throws(() => additionalGroups(['nobody', 'nobody'], GROUP, 'f'), /Unable to find group nobody/);
  assert.throws(() => additionalGroups(['1234', 'numeric'], GROUP, 'f'), /Unable to find group numeric/);
  assert.throws(() => additionalGroups(['bad'], GROUP, 'f'), /Unable to find group bad/);
  assert.throws(() => additionalGroups(['-1'], GROUP, 'f'), { reason: 'invalid-group' });
  assert.throws(() => additionalGroups(['2147483648'], GROUP, 'f'), /uids and gids must be in range 0-2147483647/);
});
