import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accessConfigSchema } from './access-config.js';
import { allowedActions, globToRegExp, isAllowed } from './access-control.js';
import { formatScope, parseScope, parseScopes, scopeCovers } from './scope.js';

const config = accessConfigSchema.parse({
  anonymous: { pull: ['public/**'] },
  rules: [
    { accounts: ['alice'], repositories: ['team/*'], actions: ['pull', 'push'] },
    { accounts: ['alice'], repositories: ['team/app'], actions: ['delete'] },
    { accounts: ['robot$ci'], repositories: ['team/**'], actions: ['push'] },
    { accounts: ['*'], repositories: ['shared'], actions: ['pull'] },
    { accounts: ['admin'], repositories: ['**'], actions: ['*'] },
  ],
});

test('globs: * stays in one component, ** crosses them', () => {
  assert.ok(globToRegExp('team/*').test('team/app'));
  assert.ok(!globToRegExp('team/*').test('team/app/x'));
  assert.ok(globToRegExp('team/**').test('team/app/x'));
  assert.ok(!globToRegExp('team.x').test('teamyx'));
});

test('ACL decisions add grants up and default to nothing', () => {
  assert.deepEqual([...allowedActions(config, 'alice', 'team/app')].sort(), ['delete', 'pull', 'push']);
  assert.deepEqual([...allowedActions(config, 'alice', 'team/web')].sort(), ['pull', 'push']);
  assert.deepEqual([...allowedActions(config, 'alice', 'team/web/deep')], []);
  assert.deepEqual([...allowedActions(config, 'robot$ci', 'team/web/deep')], ['push']);
  assert.deepEqual([...allowedActions(config, 'bob', 'shared')], ['pull']);
  assert.deepEqual([...allowedActions(config, undefined, 'shared')], []);
  assert.deepEqual([...allowedActions(config, undefined, 'public/x/y')], ['pull']);
  assert.ok(isAllowed(config, 'admin', 'any/thing', ['pull', 'push', 'delete']));
  assert.ok(!isAllowed(config, undefined, 'public/x', ['push']));
});

test('scopes parse, print and cover', () => {
  const scope = parseScope('repository:team/app:pull,push');
  assert.deepEqual(scope, { type: 'repository', name: 'team/app', actions: ['pull', 'push'] });
  assert.equal(formatScope(scope), 'repository:team/app:pull,push');
  assert.deepEqual(parseScope('repository:host:5000/a:pull').name, 'host:5000/a');
  assert.equal(parseScopes(['repository:a:pull repository:b:push', 'registry:catalog:*']).length, 3);
  assert.throws(() => parseScope('nonsense'));
  assert.throws(() => parseScope('repository:a:'));
  assert.ok(scopeCovers([scope], { type: 'repository', name: 'team/app', actions: ['push'] }));
  assert.ok(!scopeCovers([scope], { type: 'repository', name: 'team/app', actions: ['delete'] }));
  assert.ok(!scopeCovers([scope], { type: 'repository', name: 'team/other', actions: ['pull'] }));
});
