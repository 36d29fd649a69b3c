import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from '../args/parse-args.js';
import { expandShortcuts, PROGRAM } from '../main.js';
import { expandComposeFlags } from './compose-commands.js';

test('project flags before the verb move after it in their long forms', () => {
  assert.deepEqual(expandComposeFlags(['compose', '-f', 'a.yaml', '--file=b.yaml', '-pshop', '--profile', 'dev', 'logs', '-f', 'web'], 0),
    ['compose', 'logs', '--file', 'a.yaml', '--file', 'b.yaml', '--project-name', 'shop', '--profile', 'dev', '-f', 'web']);
  assert.deepEqual(expandComposeFlags(['--host', 'unix:///s', 'compose', 'up', '-d'], 2), ['--host', 'unix:///s', 'compose', 'up', '-d']);
  assert.deepEqual(expandComposeFlags(['run', 'compose'], 0), ['run', 'compose']);
});

test('berth compose parses as docker compose is called', () => {
  const parsed = parseArgs(PROGRAM, expandShortcuts(['-H', 'unix:///s', 'compose', '-f', 'x.yaml', '-p', 'shop', 'logs', '-f', '--tail', '5', 'web']));
  assert.ok(parsed.kind === 'run');
  assert.deepEqual(parsed.path.map((c) => c.name), ['berth', 'compose', 'logs']);
  assert.deepEqual(parsed.invocation.options.file, ['x.yaml']);
  assert.equal(parsed.invocation.options.projectName, 'shop');
  assert.equal(parsed.invocation.options.follow, true);
  assert.deepEqual(parsed.invocation.args.service, ['web']);
  const run = parseArgs(PROGRAM, expandShortcuts(['compose', 'run', '--rm', '--no-deps', 'tool', 'sh', '-c', 'exit 3']));
  assert.equal(run.kind === 'run' && run.invocation.options.deps, false);
  assert.deepEqual(run.kind === 'run' && run.invocation.args.command, ['sh', '-c', 'exit 3']);
});
