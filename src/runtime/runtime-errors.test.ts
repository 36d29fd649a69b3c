import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errors } from '../base/errors.js';
import { classifyRuntimeError } from './runtime-errors.js';

const ID = '0123abcd';
/** A failed run as the process runner reports it: internal, stderr in the details. */
const failed = (stderr: string): Error => errors.internal('command-failed', 'exit status 1', { details: { stderr } });
const classify = (stderr: string, action = 'state', runtime = 'crun'): [string, string] => {
  const err = classifyRuntimeError(runtime, ID, action, failed(stderr));
  return [err.kind, err.reason];
};

test('crun 1.8 wordings (as it prints them for a missing, stopped or running container)', () => {
  assert.deepEqual(classify(`error opening file \`/var/lib/berth/runtime/crun/${ID}/status\`: No such file or directory`), ['not-found', 'container-not-found']);
  assert.deepEqual(classify(`cannot open directory '/var/lib/berth/runtime/crun/${ID}': No such file or directory`, 'delete'), ['not-found', 'container-not-found']);
  assert.deepEqual(classify(`container \`${ID}\` already exists`, 'create'), ['already-exists', 'container-exists']);
  assert.deepEqual(classify('kill container: No such process', 'kill'), ['failed-precondition', 'container-not-running']);
  assert.deepEqual(classify(`the container \`${ID}\` is not running`, 'pause'), ['failed-precondition', 'container-not-running']);
  assert.deepEqual(classify(`container \`${ID}\` is not running`, 'start'), ['failed-precondition', 'container-not-running']);
  assert.deepEqual(classify(`the container \`${ID}\` is not in \`created\` or \`stopped\` state`, 'delete'), ['failed-precondition', 'container-running']);
  assert.deepEqual(classify(`the container \`${ID}\` is not in \`created\` or \`stopped\` state`, 'start'), ['failed-precondition', 'container-wrong-state']);
});

test('a missing file that is not the container\'s state is not "container not found"', () => {
  assert.deepEqual(classify(`cannot open \`/var/lib/berth/runtime/crun/${ID}/exec.fifo\`: No such file or directory`, 'start'), ['internal', 'runc-failed']);
  assert.deepEqual(classify('error opening file `/tmp/other/status`: No such file or directory'), ['internal', 'runc-failed']);
});

test('runc 1.1 wordings', () => {
  assert.deepEqual(classify('container does not exist', 'state', 'runc'), ['not-found', 'container-not-found']);
  assert.deepEqual(classify('container not running', 'kill', 'runc'), ['failed-precondition', 'container-not-running']);
  assert.deepEqual(classify(`cannot delete container ${ID} that is not stopped: running`, 'delete', 'runc'), ['failed-precondition', 'container-running']);
  assert.deepEqual(classify('container not paused', 'resume', 'runc'), ['failed-precondition', 'container-wrong-state']);
});

test('the runtime\'s name and stderr are in the message and details; a missing binary stays not-found', () => {
  const err = classifyRuntimeError('crun', ID, 'update', failed('cannot set memory limit: Device or resource busy'));
  assert.equal(err.reason, 'runc-failed');
  assert.match(err.message, /^crun update 0123abcd: cannot set memory limit/);
  assert.equal(err.details.runtime, 'crun');
  const missing = errors.notFound('command-not-found', 'crun: not installed');
  assert.equal(classifyRuntimeError('crun', ID, 'state', missing), missing);
});
