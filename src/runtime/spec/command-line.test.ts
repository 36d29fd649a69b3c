import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../base/errors.js';
import { commandLine } from './command-line.js';
import { containerEnvironment, DEFAULT_PATH_ENV } from './environment.js';

const image = { Entrypoint: ['/entry', '-x'], Cmd: ['serve', '--port', '80'] };

test('image cmd only', () => {
  assert.deepEqual(commandLine({}, { Cmd: ['sh'] }), ['sh']);
});

test('image entrypoint + cmd', () => {
  assert.deepEqual(commandLine({}, image), ['/entry', '-x', 'serve', '--port', '80']);
});

test('user cmd replaces the image cmd and keeps the image entrypoint', () => {
  assert.deepEqual(commandLine({ cmd: ['version'] }, image), ['/entry', '-x', 'version']);
});

test('user entrypoint resets the image cmd', () => {
  assert.deepEqual(commandLine({ entrypoint: ['/bin/sh'] }, image), ['/bin/sh']);
  assert.deepEqual(commandLine({ entrypoint: ['/bin/sh'], cmd: ['-c', 'id'] }, image), ['/bin/sh', '-c', 'id']);
});

test('empty-string entrypoint drops the image entrypoint and cmd (Docker: a cmd is then required)', () => {
  assert.deepEqual(commandLine({ entrypoint: [''], cmd: ['ls'] }, image), ['ls']);
  assert.throws(() => commandLine({ entrypoint: [''] }, image), (err: unknown) => isBerthError(err, 'invalid-argument'));
});

test('an empty (not absent) entrypoint list drops the image entrypoint but keeps its cmd', () => {
  assert.deepEqual(commandLine({ entrypoint: [] }, image), ['serve', '--port', '80']);
});

test('nothing to run is invalid-argument', () => {
  assert.throws(() => commandLine({}, {}), (err: unknown) => isBerthError(err, 'invalid-argument') && err.reason === 'no-command');
  assert.throws(() => commandLine({ entrypoint: [''] }, { Entrypoint: ['/e'] }), (err: unknown) => isBerthError(err, 'invalid-argument'));
});

test('env: defaults, image env merged under user env by key, unset, TERM with tty', () => {
  const env = containerEnvironment({
    imageEnv: ['PATH=/opt/bin:/bin', 'LANG=C', 'DROP=1', 'KEEP=image'],
    userEnv: ['LANG=C.UTF-8', 'NEW=x', 'DROP'],
    hostname: 'abc',
    tty: true,
  });
  assert.deepEqual(env, ['PATH=/opt/bin:/bin', 'HOSTNAME=abc', 'TERM=xterm', 'LANG=C.UTF-8', 'NEW=x', 'KEEP=image']);
});

test('env: default PATH when the image sets none; user may override HOSTNAME', () => {
  const env = containerEnvironment({ imageEnv: null, userEnv: ['HOSTNAME=mine', 'A=1=2'], hostname: 'abc', tty: false });
  assert.deepEqual(env, [`PATH=${DEFAULT_PATH_ENV}`, 'HOSTNAME=mine', 'A=1=2']);
});
