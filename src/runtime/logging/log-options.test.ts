import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../base/errors.js';
import { checkLogSettings, daemonLogSettings, fromHumanSize, goAtoi, goParseBool, jsonFileRotation, k8sFileMaxSize, localRotation, resolveLogSettings } from './log-options.js';

/** Asserts that `fn` throws invalid-argument with exactly `message` (dockerd's wording). */
function throwsInvalid(fn: () => unknown, reason: string, message: string): void {
  assert.throws(fn, (err: unknown) => isBerthError(err, 'invalid-argument') && err.reason === reason && err.message === message);
}

test('sizes as docker/go-units reads them: decimal units, optional i and b, one space', () => {
  assert.equal(fromHumanSize('1k'), 1000);
  assert.equal(fromHumanSize('10m'), 10_000_000);
  assert.equal(fromHumanSize('1.5k'), 1500);
  assert.equal(fromHumanSize('1KiB'), 1000);
  assert.equal(fromHumanSize('1 k'), 1000);
  assert.equal(fromHumanSize('512'), 512);
  throwsInvalid(() => fromHumanSize('-1'), 'invalid-log-opt', "invalid size: '-1'");
  throwsInvalid(() => fromHumanSize('abc'), 'invalid-log-opt', "invalid size: 'abc'");
  throwsInvalid(() => fromHumanSize('1.2.3k'), 'invalid-log-opt', 'strconv.ParseFloat: parsing "1.2.3": invalid syntax');
});

test("Go's Atoi and ParseBool, with their messages", () => {
  assert.equal(goAtoi('+3'), 3);
  assert.equal(goAtoi('-2'), -2);
  throwsInvalid(() => goAtoi('abc'), 'invalid-log-opt', 'strconv.Atoi: parsing "abc": invalid syntax');
  assert.equal(goParseBool('T'), true);
  assert.equal(goParseBool('0'), false);
  throwsInvalid(() => goParseBool('maybe'), 'invalid-log-opt', 'strconv.ParseBool: parsing "maybe": invalid syntax');
});

test("json-file: Docker's defaults and checks", () => {
  assert.deepEqual(jsonFileRotation({}), { maxSize: -1, maxFile: 1, compress: false });
  assert.deepEqual(jsonFileRotation({ 'max-size': '1k', 'max-file': '3', compress: 'true' }), { maxSize: 1000, maxFile: 3, compress: true });
  throwsInvalid(() => jsonFileRotation({ 'max-size': '0' }), 'invalid-log-opt', 'max-size must be a positive number');
  throwsInvalid(() => jsonFileRotation({ 'max-file': '0' }), 'invalid-log-opt', 'max-file cannot be less than 1');
  throwsInvalid(() => jsonFileRotation({ compress: 'true' }), 'invalid-log-opt', 'compress cannot be true when max-file is less than 2 or max-size is not set');
  throwsInvalid(() => jsonFileRotation({ compress: '1', 'max-size': '1k' }), 'invalid-log-opt', 'compress cannot be true when max-file is less than 2 or max-size is not set');
});

test("local: 20 MiB × 5 compressed by default, Docker's messages", () => {
  assert.deepEqual(localRotation({}), { maxSize: 20 * 1024 * 1024, maxFile: 5, compress: true });
  assert.deepEqual(localRotation({ 'max-size': '1k', 'max-file': '1', compress: 'false' }), { maxSize: 1000, maxFile: 1, compress: false });
  throwsInvalid(() => localRotation({ 'max-file': '1' }), 'invalid-log-opt', 'compression cannot be enabled when max file count is 1');
  throwsInvalid(() => localRotation({ 'max-file': '-1' }), 'invalid-log-opt', 'max file count cannot be less than 0');
  throwsInvalid(() => localRotation({ 'max-size': 'abc' }), 'invalid-log-opt', "invalid value for max-size: abc: invalid size: 'abc'");
  throwsInvalid(() => localRotation({ 'max-file': 'abc' }), 'invalid-log-opt', 'invalid value for max-file: abc: strconv.Atoi: parsing "abc": invalid syntax');
  throwsInvalid(() => localRotation({ compress: 'nah' }), 'invalid-log-opt', 'error reading compress log option: strconv.ParseBool: parsing "nah": invalid syntax');
});

test('k8s-file: one cap in binary units, -1 for none, 20 MiB by default', () => {
  assert.equal(k8sFileMaxSize({}), 20 * 1024 * 1024);
  assert.equal(k8sFileMaxSize({ 'max-size': '-1' }), -1);
  assert.equal(k8sFileMaxSize({ 'max-size': '4k' }), 4096);
});

test('unknown drivers and option keys get dockerd’s errors; none takes any option', () => {
  throwsInvalid(() => checkLogSettings('nope', {}), 'unknown-log-driver', 'error looking up logging plugin nope: plugin "nope" not found');
  throwsInvalid(() => checkLogSettings('journald', {}), 'unknown-log-driver', 'error looking up logging plugin journald: plugin "journald" not found');
  throwsInvalid(() => checkLogSettings('json-file', { foo: 'bar' }), 'unknown-log-opt', "unknown log opt 'foo' for json-file log driver");
  throwsInvalid(() => checkLogSettings('local', { env: 'A' }), 'unknown-log-opt', "unknown log opt 'env' for log driver local");
  assert.deepEqual(checkLogSettings('none', { foo: 'bar' }), { driver: 'none', options: { foo: 'bar' } });
  assert.deepEqual(checkLogSettings('json-file', { labels: 'a', env: 'B', tag: '{{.Name}}' }).driver, 'json-file');
  throwsInvalid(() => checkLogSettings('json-file', { tag: '{{.Nope}}' }), 'invalid-log-opt',
    'template: log-tag: cannot evaluate "{{.Nope}}" (fields: ID, FullID, Name, ImageID, ImageFullID, ImageName, DaemonName, Hostname, Command)');
});

test("the daemon's default: an empty type is it, and its options fill the keys of the same driver only", () => {
  const daemon = daemonLogSettings('json-file', ['max-size=10m', 'max-file=3']);
  assert.deepEqual(resolveLogSettings(undefined, daemon), { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } });
  assert.deepEqual(resolveLogSettings({ type: '', config: { 'max-size': '1m' } }, daemon), { driver: 'json-file', options: { 'max-size': '1m', 'max-file': '3' } });
  assert.deepEqual(resolveLogSettings({ type: 'local', config: {} }, daemon), { driver: 'local', options: {} });
  assert.deepEqual(resolveLogSettings({ type: 'none' }, daemon), { driver: 'none', options: {} });
  throwsInvalid(() => daemonLogSettings('json-file', ['max-size']), 'invalid-log-opt', '--log-opt max-size: want key=value');
  throwsInvalid(() => daemonLogSettings('syslog', []), 'unknown-log-driver', 'error looking up logging plugin syslog: plugin "syslog" not found');
});
