// `volume create` cut short by a daemon crash (failpoint `volume-create-after-dir`: the volume's
// directory is in place, its record is not): a plain volume, a tmpfs one and a bind of a host
// directory (`local` driver options). The next berthd lists no such volume and removes the
// directory (never what a bind shows); the create, redone, works and the volume serves a
// container. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { needsRoot } from '../../support/berth-cli.js';
import { CrashLab } from '../../support/crash-lab.js';
import { leftovers, NOTHING } from '../../support/crash-leftovers.js';

describe('volume create and a daemon crash', { skip: needsRoot() }, () => {
  let lab: CrashLab;
  let hostDir: string;
  before(async () => {
    lab = await CrashLab.create('berth-volume-crash-');
    hostDir = join(lab.work, 'host-dir');
    await mkdir(hostDir);
    await writeFile(join(hostDir, 'keep'), 'host data\n');
  });
  after(async () => {
    await lab.close();
  });


  const kinds: { kind: string; options: () => string[]; fsType: string }[] = [
    { kind: 'plain', options: () => [], fsType: '' },
    { kind: 'tmpfs', options: () => ['--opt', 'type=tmpfs', '--opt', 'device=tmpfs', '--opt', 'o=size=8m'], fsType: 'tmpfs' },
    { kind: 'bind', options: () => ['--opt', 'type=none', '--opt', 'o=bind', '--opt', `device=${hostDir}`], fsType: '' },
  ];
  for (const { kind, options, fsType } of kinds) {
    test(`a ${kind} volume: not listed, its directory gone; the create, redone, works`, async () => {
      await lab.daemon?.stop();
      await lab.start('volume-create-after-dir');
      const name = `vol-${kind}`;
      const create = await lab.cli(['volume', 'create', ...options(), name]);
      assert.notEqual(create.code, 0, 'berthd died under the create');
      await lab.crash();
      assert.ok((await readdir(join(lab.root, 'volumes'))).includes(name), 'the crash left the directory');

      await lab.start();
      assert.equal(await lab.ok(['volume', 'ls', '-q']), '');
      assert.deepEqual(await readdir(join(lab.root, 'volumes')), []);
      assert.deepEqual(await leftovers(lab), NOTHING);
      assert.equal(await readFile(join(hostDir, 'keep'), 'utf8'), 'host data\n', 'the bound host directory is untouched');

      assert.equal(await lab.ok(['volume', 'create', ...options(), name]), name);
      assert.deepEqual((await lab.ok(['volume', 'ls', '-q'])).split('\n'), [name]);
      const script = `echo ${kind} > /data/made && cat /data/made && awk '$2 == "/data" { print $3 }' /proc/mounts`;
      const out = (await lab.ok(['run', '--rm', '--network', 'none', '-v', `${name}:/data`, 'busybox', 'sh', '-c', script])).split('\n');
      assert.equal(out[0], kind);
      if (fsType !== '') assert.equal(out[1], fsType);
      await lab.ok(['volume', 'rm', name]);
      assert.deepEqual(await leftovers(lab), NOTHING);
      assert.equal(await readFile(join(hostDir, 'keep'), 'utf8'), 'host data\n');
    });
  }
});
