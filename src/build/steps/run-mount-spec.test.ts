import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../base/errors.js';
import { parseDockerfile } from '../dockerfile/parse-dockerfile.js';
import { mountKeyText, parseRunMounts, parseSize, splitCsv } from './run-mount-spec.js';

function mounts(line: string, expand?: (text: string) => string) {
  const instruction = parseDockerfile(`FROM busybox\n${line}\n`).instructions[1];
  assert.ok(instruction !== undefined);
  return parseRunMounts('Dockerfile', instruction, expand);
}

test('values are expanded before they are parsed', () => {
  const [cache] = mounts('RUN --mount=type=cache,id=$ID,target=/c true', (text) => text.replace('$ID', 'go-1.22'));
  assert.equal(cache?.type === 'cache' && cache.id, 'go-1.22');
});

test('splitCsv keeps commas inside quotes', () => {
  assert.deepEqual(splitCsv('type=bind,"target=/a,b",ro'), ['type=bind', 'target=/a,b', 'ro']);
  assert.deepEqual(splitCsv('a=""""'), ['a="']);
});

test('parseSize reads Docker sizes', () => {
  assert.equal(parseSize('64m'), 64 * 1024 * 1024);
  assert.equal(parseSize('1g'), 1024 ** 3);
  assert.equal(parseSize('4096'), 4096);
  assert.equal(parseSize('lots'), undefined);
});

test('each type with its defaults', () => {
  const [bind, cache, secret, tmpfs, envSecret] = mounts(
    'RUN --mount=target=/src --mount=type=cache,target=/root/.cache --mount=type=secret,id=tok --mount=type=tmpfs,dst=/t,size=1m --mount=type=secret,id=k,env=KEY,required true',
  );
  assert.deepEqual(bind, { type: 'bind', target: '/src', source: '.', readWrite: false });
  assert.deepEqual(cache, { type: 'cache', target: '/root/.cache', id: '/root/.cache', sharing: 'shared', readOnly: false, mode: 0o755, uid: 0, gid: 0, source: '.' });
  assert.deepEqual(secret, { type: 'secret', id: 'tok', target: '/run/secrets/tok', required: false, mode: 0o400, uid: 0, gid: 0 });
  assert.deepEqual(tmpfs, { type: 'tmpfs', target: '/t', sizeBytes: 1024 * 1024 });
  assert.deepEqual(envSecret, { type: 'secret', id: 'k', env: 'KEY', required: true, mode: 0o400, uid: 0, gid: 0 });
});

test('options: from, source, rw, sharing, mode/uid/gid, required=false', () => {
  const [bind, cache, secret] = mounts(
    'RUN --mount=type=bind,from=build,source=/out/../out,target=/x,rw --mount=type=cache,id=go,target=/go,sharing=locked,mode=0700,uid=1000,gid=1000,ro --mount=type=secret,id=a,target=/a,required=false,mode=0440 true',
  );
  assert.deepEqual(bind, { type: 'bind', target: '/x', source: 'out', from: 'build', readWrite: true });
  assert.deepEqual(cache, { type: 'cache', target: '/go', id: 'go', sharing: 'locked', readOnly: true, mode: 0o700, uid: 1000, gid: 1000, source: '.' });
  assert.equal(secret?.type === 'secret' && secret.mode, 0o440);
  assert.equal(secret?.type === 'secret' && secret.required, false);
});

test('the key text of a secret has its id, never a value', () => {
  const [secret] = mounts('RUN --mount=type=secret,id=tok true');
  assert.ok(secret !== undefined);
  assert.equal(mountKeyText(secret), 'secret:tok:/run/secrets/tok::400:0:0');
});

test('unknown types, options and bad values are refused with the line', () => {
  const refused = (line: string, pattern: RegExp): void => {
    assert.throws(() => mounts(line), (err: unknown) => isBerthError(err, 'invalid-argument') && /^Dockerfile:2: /.test(err.message) && pattern.test(err.message));
  };
  refused('RUN --mount=type=nfs,target=/x true', /unknown mount type "nfs"/);
  // Names of Object.prototype are no types or options either.
  refused('RUN --mount=type=constructor,target=/x true', /unknown mount type "constructor"/);
  refused('RUN --mount=type=cache,target=/x,constructor=1 true', /unknown option "constructor" for type=cache/);
  refused('RUN --mount=type=ssh true', /type=ssh is not supported/);
  refused('RUN --mount=type=cache,target=/x,color=red true', /unknown option "color" for type=cache/);
  refused('RUN --mount=type=tmpfs,target=/x,sharing=locked true', /unknown option "sharing"/);
  refused('RUN --mount=type=cache true', /target= is required/);
  refused('RUN --mount=type=cache,target=/x,sharing=sometimes true', /sharing: expected shared, private or locked/);
  refused('RUN --mount=type=secret,target=/x true', /id= is required/);
  refused('RUN --mount=type=bind,target=/x,source=../up true', /cannot climb out/);
  refused('RUN --mount=type=tmpfs,target=/x,size=big true', /size: invalid size/);
  refused('RUN --mount=type=cache,target=/x,uid=me true', /uid: invalid value/);
  refused('RUN --mount=type=bind,target=/x --mount=type=tmpfs,target=/x true', /two mounts have the target \/x/);
});
