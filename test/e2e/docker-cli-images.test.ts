import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { berthOk, needsRoot } from '../support/berth-cli.js';
import { BerthdProcess } from '../support/berthd-process.js';
import { makeTar } from '../support/oci-fixtures.js';
import { writeFile } from 'node:fs/promises';

/** The docker CLIs on this machine: Debian's 20.10, and a newer one if installed. */
const CLIS = ['/usr/bin/docker', '/usr/local/bin/docker'].filter((path) => existsSync(path));

for (const cli of CLIS) {
  describe(`the docker CLI (${cli}) drives berthd's image API`, { skip: needsRoot() || (CLIS.length === 0 && 'no docker CLI') }, () => {
    let work: string;
    let daemon: BerthdProcess;
    let archive: string;
    const docker = (...args: string[]) => {
      const result = spawnSync(cli, args, { env: { ...process.env, DOCKER_HOST: `unix://${daemon.socketPath}`, DOCKER_CONFIG: join(work, 'docker-config') }, encoding: 'utf8' });
      return { code: result.status, out: result.stdout, err: result.stderr };
    };
    const ok = (...args: string[]) => {
      const r = docker(...args);
      assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.err}`);
      return r.out;
    };

    before(async () => {
      work = await mkdtemp(join(tmpdir(), 'berth-dockercli-'));
      const source = join(work, 'source-root');
      await berthOk(source, ['image', 'bootstrap', 'busybox']);
      archive = join(work, 'busybox.tar');
      await berthOk(source, ['save', '-o', archive, 'busybox']);
      daemon = await BerthdProcess.start(join(work, 'root'), join(work, 'run', 'berth.sock'));
    });
    after(async () => {
      await (daemon as BerthdProcess | undefined)?.stop();
      await rm(work, { recursive: true, force: true });
    });

    test('version and info', () => {
      assert.match(ok('version', '--format', '{{.Server.Version}} {{.Server.APIVersion}}'), /^0\.1\.0 1\.43/);
      assert.match(ok('info', '--format', '{{.Driver}} {{.Images}}'), /^overlay 0/);
    });

    test('load, images, inspect, history, tag, save, rmi', () => {
      assert.match(ok('load', '-i', archive), /Loaded image: busybox:latest/);
      assert.match(ok('images', '--format', '{{.Repository}}:{{.Tag}}'), /^busybox:latest$/m);
      assert.equal(ok('inspect', '--format', '{{json .Config.Cmd}}', 'busybox').trim(), '["sh"]');
      ok('tag', 'busybox', 'example.com/tools/bb:1');
      assert.match(ok('history', '--format', '{{.CreatedBy}}', 'example.com/tools/bb:1'), /berth image bootstrap busybox/);
      const saved = join(work, 'from-berthd.tar');
      ok('save', '-o', saved, 'example.com/tools/bb:1');
      const listing = spawnSync('tar', ['tf', saved], { encoding: 'utf8' }).stdout;
      assert.match(listing, /^manifest\.json$/m);
      assert.match(ok('rmi', 'example.com/tools/bb:1'), /Untagged: example.com\/tools\/bb:1/);
      const missing = docker('rmi', 'no-such-image');
      assert.notEqual(missing.code, 0);
      assert.match(missing.err, /No such image: no-such-image/);
    });

    test('import with --change, and prune', async () => {
      const tarball = join(work, 'rootfs.tar');
      await writeFile(tarball, await makeTar([{ name: 'hello', content: 'hi' }]));
      const id = ok('import', '-c', 'CMD ["/hello"]', '-m', 'imported', tarball, 'imported:1').trim();
      assert.match(id, /^sha256:[0-9a-f]{64}$/);
      assert.equal(ok('inspect', '--format', '{{json .Config.Cmd}}', 'imported:1').trim(), '["/hello"]');
      ok('tag', 'imported:1', 'imported:2');
      ok('rmi', 'imported:1', 'imported:2');
      assert.doesNotMatch(ok('images', '--format', '{{.Repository}}'), /imported/);
      ok('image', 'prune', '-f');
    });
  });
}

describe('berthd lifecycle', { skip: needsRoot() }, () => {
  test('SIGTERM stops berthd cleanly and removes its socket', async () => {
    const work = await mkdtemp(join(tmpdir(), 'berthd-stop-'));
    try {
      const daemon = await BerthdProcess.start(join(work, 'root'), join(work, 'berth.sock'));
      assert.equal(await daemon.socketExists(), true);
      assert.equal(await daemon.stop(), 0);
      assert.equal(await daemon.socketExists(), false);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
