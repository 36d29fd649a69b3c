import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBerthError } from '../base/errors.js';
import type { ProcessRunner } from '../base/process-runner.js';
import { parseCgroupLayout } from './cgroup-layout.js';
import { OciRuntimes, type OciRuntimesOptions } from './oci-runtimes.js';

const HYBRID = parseCgroupLayout('32 31 0:29 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n');
const V2 = parseCgroupLayout('41 31 0:38 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n');
const runner: ProcessRunner = { run: () => Promise.reject(new Error('no runtime is run when the registry opens')) };

/** The registry on a temp dir, with stand-in binaries (any executable will do: nothing is run). */
async function withRegistry(extra: Partial<OciRuntimesOptions>, check: (runtimes: OciRuntimes, dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-oci-runtimes-'));
  try {
    const runtimes = await OciRuntimes.open({
      runner, layout: V2, stateDir: (name) => join(dir, 'state', name), wrapperDir: join(dir, 'runtime'), runcPath: '/bin/true', crunPath: '/bin/sh', ...extra,
    });
    await check(runtimes, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('runc and crun by name, each with its own state dir; runc is the default', async () => {
  await withRegistry({}, (runtimes, dir) => {
    assert.deepEqual(runtimes.names(), ['runc', 'crun']);
    assert.equal(runtimes.defaultName, 'runc');
    const crun = runtimes.get('crun');
    assert.deepEqual([crun.binary, crun.path, crun.root, crun.cli.root, crun.cli.name], ['/bin/sh', '/bin/sh', join(dir, 'state', 'crun'), join(dir, 'state', 'crun'), 'crun']);
    assert.equal(runtimes.get('runc').root, join(dir, 'state', 'runc'));
    assert.ok(runtimes.has('runc') && !runtimes.has('kata'));
    return Promise.resolve();
  });
});

test('an unknown name is invalid-argument naming it, at get and as the default', async () => {
  await withRegistry({}, (runtimes) => {
    assert.throws(() => runtimes.get('kata'), (err: unknown) => isBerthError(err, 'invalid-argument') && err.reason === 'unknown-runtime' && /unknown or invalid runtime name: kata/.test(err.message));
    return Promise.resolve();
  });
  await assert.rejects(withRegistry({ defaultRuntime: 'kata' }, () => Promise.resolve()), { kind: 'invalid-argument', reason: 'unknown-runtime' });
  await withRegistry({ defaultRuntime: 'crun' }, (runtimes) => {
    assert.equal(runtimes.defaultName, 'crun');
    return Promise.resolve();
  });
});

test('a crun path that does not exist is not-found; runc is required', async () => {
  await assert.rejects(withRegistry({ crunPath: '/no/such/crun' }, () => Promise.resolve()), { kind: 'not-found', reason: 'command-not-found' });
  await assert.rejects(withRegistry({ runcPath: '/no/such/runc' }, () => Promise.resolve()), { kind: 'not-found', reason: 'command-not-found' });
});

test('on a hybrid host crun runs through an executable wrapper that names the binary; runc does not', async () => {
  await withRegistry({ layout: HYBRID }, async (runtimes, dir) => {
    const crun = runtimes.get('crun');
    assert.equal(crun.path, join(dir, 'runtime', 'crun-hybrid'));
    assert.equal(crun.cli.runcPath, crun.path);
    assert.equal(crun.binary, '/bin/sh');
    assert.equal((await stat(crun.path)).mode & 0o777, 0o755);
    assert.match(await readFile(crun.path, 'utf8'), /'\/sys\/fs\/cgroup\/unified' '\/bin\/sh' "\$@"$/m);
    assert.equal(runtimes.get('runc').path, '/bin/true');
  });
});
