import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRoleFile } from './role-file.js';

describe('parseRoleFile', () => {
  it('reads roles with grants and label selectors', () => {
    const roles = parseRoleFile('roles:\n  deployer:\n    grants:\n      - resources: [containers, images]\n        verbs: ["*"]\n        labels: { env: staging }\n', 'r.yaml');
    assert.deepEqual(roles.get('deployer'), { name: 'deployer', grants: [{ resources: ['containers', 'images'], verbs: ['*'], labels: { env: 'staging' } }] });
  });

  it('names the role and the field of an error', () => {
    assert.throws(() => parseRoleFile('roles:\n  ops:\n    grants:\n      - resources: [containers]\n        verbs: [read, exce]\n', 'r.yaml'),
      { kind: 'invalid-argument', message: 'roles file r.yaml: role ops: field grants[0].verbs[1]: "exce" is not a verb of containers' });
    assert.throws(() => parseRoleFile('roles:\n  ops:\n    grants:\n      - resources: [pods]\n        verbs: [read]\n', 'r.yaml'),
      /roles file r\.yaml: role ops: field grants\[0\]\.resources\[0\]: unknown resource "pods"/);
    assert.throws(() => parseRoleFile('roles:\n  ops:\n    grant: []\n', 'r.yaml'), /role ops: /);
    assert.throws(() => parseRoleFile('roles:\n  admin:\n    grants:\n      - resources: [containers]\n        verbs: [read]\n', 'r.yaml'), /role admin: the name of a built-in role/);
    assert.throws(() => parseRoleFile('roles: [', 'r.yaml'), /not valid YAML/);
  });
});
