import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from './args/parse-args.js';
import { tokenOf } from './context.js';
import { expandShortcuts, PROGRAM } from './main.js';

test('Docker\'s shortcuts expand after the global options', () => {
  assert.deepEqual(expandShortcuts(['run', '--rm', 'busybox']), ['container', 'run', '--rm', 'busybox']);
  assert.deepEqual(expandShortcuts(['--host', 'unix:///s', 'ps', '-a']), ['--host', 'unix:///s', 'container', 'ls', '-a']);
  assert.deepEqual(expandShortcuts(['-H', 'unix:///s', 'rm', '-f', 'x']), ['-H', 'unix:///s', 'container', 'rm', '-f', 'x']);
  assert.deepEqual(expandShortcuts(['--root', '/r', 'images']), ['--root', '/r', 'image', 'ls']);
  assert.deepEqual(expandShortcuts(['container', 'run', 'images']), ['container', 'run', 'images']);
  assert.deepEqual(expandShortcuts([]), []);
});

test('every container verb and its docker-style alias is registered', () => {
  const container = PROGRAM.commands?.find((c) => c.name === 'container');
  const verbs = container?.commands?.map((c) => c.name).sort();
  assert.deepEqual(verbs, [
    'attach', 'cp', 'create', 'diff', 'exec', 'export', 'inspect', 'kill', 'logs', 'ls', 'pause', 'prune', 'rename', 'restart', 'rm', 'run',
    'start', 'stats', 'stop', 'top', 'unpause', 'update', 'wait',
  ]);
  assert.ok(PROGRAM.commands?.some((c) => c.name === 'inspect'));
  assert.ok(PROGRAM.commands?.some((c) => c.name === 'events'));
  assert.deepEqual(expandShortcuts(['help', 'run']), ['help', 'container', 'run']);
});

test('--token is a global option with a value; the token is --token, then BERTH_TOKEN', () => {
  assert.deepEqual(expandShortcuts(['--token', 'berth_x', 'ps']), ['--token', 'berth_x', 'container', 'ls']);
  const parsed = parseArgs(PROGRAM, expandShortcuts(['-H', '/s', '--token=berth_x', 'ps']));
  assert.deepEqual(parsed.kind === 'run' ? parsed.invocation.globals : undefined, { host: '/s', token: 'berth_x' });
  assert.deepEqual(tokenOf({ token: 'berth_flag' }, { BERTH_TOKEN: 'berth_env' }), { value: 'berth_flag', from: '--token' });
  assert.deepEqual(tokenOf({}, { BERTH_TOKEN: 'berth_env' }), { value: 'berth_env', from: 'BERTH_TOKEN' });
  assert.equal(tokenOf({}, { BERTH_TOKEN: '' }), undefined);
  assert.equal(tokenOf({}, {}), undefined);
  assert.deepEqual(tokenOf({ token: '' }, {}), { value: '', from: '--token' });
});
