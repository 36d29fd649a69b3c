import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROGRAM } from '../main.js';
import { parseArgs } from '../args/parse-args.js';
import { argOf, flagsOf } from '../args/command-spec.js';
import type { CreateFlags } from './container-flags.js';
import { createConfigFromFlags } from './create-config.js';
import { csvFields, parseMountFlag, splitVolumeFlags } from './mount-flag.js';

test('--mount: every key, aliases, booleans and CSV quoting', () => {
  assert.deepEqual(parseMountFlag('type=volume,src=db,dst=/db,volume-nocopy,volume-opt=uid=1000,volume-opt=mode=0770,volume-label=a=b,volume-driver=local,readonly=false'), {
    Type: 'volume', Source: 'db', Target: '/db', ReadOnly: false,
    VolumeOptions: { NoCopy: true, DriverConfig: { Options: { uid: '1000', mode: '0770' }, Name: 'local' }, Labels: { a: 'b' } },
  });
  assert.deepEqual(parseMountFlag('type=bind,source=/h,destination=/c,ro,bind-propagation=rshared'), {
    Type: 'bind', Source: '/h', Target: '/c', ReadOnly: true, BindOptions: { Propagation: 'rshared' },
  });
  assert.deepEqual(parseMountFlag('type=tmpfs,target=/t,tmpfs-size=64m,tmpfs-mode=1770'), {
    Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 64 * 1024 * 1024, Mode: 0o1770 },
  });
  assert.deepEqual(parseMountFlag('target=/anon'), { Type: 'volume', Target: '/anon' });
  assert.deepEqual(csvFields('type=bind,"source=/a,b",target=/c'), ['type=bind', 'source=/a,b', 'target=/c']);
});

test('--mount mistakes are refused by name', () => {
  assert.throws(() => parseMountFlag('type=bind,source=/h'), /target is required/);
  assert.throws(() => parseMountFlag('type=npipe,target=/x'), /type npipe is not supported/);
  assert.throws(() => parseMountFlag('type=bind,target=/x,volume-nocopy'), /volume options with type bind/);
  assert.throws(() => parseMountFlag('type=volume,target=/x,bind-propagation=shared'), /bind options with type volume/);
  assert.throws(() => parseMountFlag('target=/x,color=red'), /unexpected key 'color'/);
  assert.throws(() => parseMountFlag('type=tmpfs,target=/x,tmpfs-mode=9'), /tmpfs-mode 9/);
  assert.throws(() => parseMountFlag('target=/x,readonly=maybe'), /invalid value for readonly/);
  assert.throws(() => parseMountFlag('target="/x'), /unterminated quote/);
});

test('-v, --mount, --tmpfs and --init become Binds, Volumes, Mounts, Tmpfs and Init', () => {
  assert.deepEqual(splitVolumeFlags(['/anon', 'db:/db', '/h:/c:ro']), { binds: ['db:/db', '/h:/c:ro'], volumes: { '/anon': {} } });
  assert.throws(() => splitVolumeFlags(['rel']), /needs a target path/);
  const parsed = parseArgs(PROGRAM, ['container', 'run', '-v', '/anon', '-v', 'db:/db:ro', '--mount', 'type=tmpfs,dst=/t', '--tmpfs', '/run:size=1m', '--init', 'busybox']);
  if (parsed.kind !== 'run') throw new Error('not a run');
  const body = createConfigFromFlags(argOf(parsed.invocation.args, 'image'), [], flagsOf<CreateFlags>(parsed.invocation.options), {});
  assert.deepEqual(body.Volumes, { '/anon': {} });
  const host = body.HostConfig ?? {};
  assert.deepEqual(host.Binds, ['db:/db:ro']);
  assert.deepEqual(host.Mounts, [{ Type: 'tmpfs', Target: '/t' }]);
  assert.deepEqual(host.Tmpfs, { '/run': 'size=1m' });
  assert.equal(host.Init, true);
});
