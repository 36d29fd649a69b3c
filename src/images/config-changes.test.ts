import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyConfigChanges } from './config-changes.js';
import { isBerthError } from '../base/errors.js';

test('applies Dockerfile-style changes', () => {
  const config = applyConfigChanges({ Env: ['PATH=/bin'] }, [
    'CMD ["sh", "-c", "echo hi"]',
    'ENTRYPOINT /init',
    'ENV A=1 B="two words"',
    'ENV PATH=/usr/bin',
    'ENV LEGACY some value',
    'EXPOSE 80 53/udp',
    'LABEL org.example=x',
    'USER 1000:1000',
    'WORKDIR /srv',
    'VOLUME ["/data"]',
    'STOPSIGNAL SIGINT',
  ]);
  assert.deepEqual(config.Cmd, ['sh', '-c', 'echo hi']);
  assert.deepEqual(config.Entrypoint, ['/bin/sh', '-c', '/init']);
  assert.deepEqual(config.Env, ['PATH=/usr/bin', 'A=1', 'B=two words', 'LEGACY=some value']);
  assert.deepEqual(config.ExposedPorts, { '80/tcp': {}, '53/udp': {} });
  assert.deepEqual(config.Labels, { 'org.example': 'x' });
  assert.equal(config.User, '1000:1000');
  assert.equal(config.WorkingDir, '/srv');
  assert.deepEqual(config.Volumes, { '/data': {} });
  assert.equal(config.StopSignal, 'SIGINT');
});

test('rejects unknown instructions and bad arguments, naming the change', () => {
  for (const bad of ['RUN echo', 'EXPOSE http', 'WORKDIR relative', 'CMD']) {
    assert.throws(() => applyConfigChanges({}, [bad]), (err: unknown) => isBerthError(err, 'invalid-argument') && err.message.includes(bad));
  }
});

test('a quoted value with an escape JSON does not know is refused naming the change (fuzz finding)', () => {
  // Was a raw SyntaxError from JSON.parse.
  for (const change of ['ENV A="\\q"', 'LABEL a="unterminated\\"', 'ENV B="\\u12"']) {
    assert.throws(() => applyConfigChanges({}, [change]), (err: unknown) => isBerthError(err, 'invalid-argument') && err.reason === 'invalid-change' && err.message.includes(change), change);
  }
  assert.deepEqual(applyConfigChanges({}, ['ENV A="x\\ty"']).Env, ['A=x\ty']);
});
