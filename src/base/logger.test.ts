import { test } from 'node:test';
import assert from 'node:assert/strict';
import { componentLogger, fieldText, installLogSink, warnOnFailure, warnUnlessErrno, type LogFields, type LogLevel } from './logger.js';

function capture(): { lines: Array<{ level: LogLevel; message: string; fields: LogFields }>; restore: () => void } {
  const lines: Array<{ level: LogLevel; message: string; fields: LogFields }> = [];
  const restore = installLogSink({ write: (level, message, fields) => { lines.push({ level, message, fields }); } });
  return { lines, restore };
}

test('a component logger writes through the sink installed at the time of the call, with its fields', () => {
  const log = componentLogger('engine').child({ container: 'c1' });
  const { lines, restore } = capture();
  try {
    log.info('started', { pid: 7 });
  } finally {
    restore();
  }
  assert.deepEqual(lines, [{ level: 'info', message: 'started', fields: { component: 'engine', container: 'c1', pid: 7 } }]);
});

test('warnOnFailure logs the failure; warnUnlessErrno leaves the expected codes out', () => {
  const log = componentLogger('volumes');
  const { lines, restore } = capture();
  try {
    warnOnFailure(log, 'removing the mount point', { path: '/x' })(new Error('busy'));
    const missing = Object.assign(new Error('gone'), { code: 'ENOENT' });
    const denied = Object.assign(new Error('denied'), { code: 'EACCES' });
    warnUnlessErrno(['ENOENT'], log, 'removing the file')(missing);
    warnUnlessErrno(['ENOENT'], log, 'removing the file')(denied);
  } finally {
    restore();
  }
  assert.deepEqual(lines.map((l) => [l.level, l.message, (l.fields.err as Error).message]), [
    ['warn', 'removing the mount point failed', 'busy'],
    ['warn', 'removing the file failed', 'denied'],
  ]);
});

test('fields as text: errors by their message, values with spaces quoted, undefined left out', () => {
  assert.equal(fieldText({ err: new Error('no space left'), id: 'abc', gone: undefined, n: 3 }), 'err="no space left" id=abc n=3');
  assert.equal(fieldText({ err: { type: 'Error', message: 'serialized' } }), 'err=serialized');
});
