// Interop with a real Docker (a private dockerd 20.10) in both directions: archives written by
// `docker save` load into berth with the same image id and unpacked layers, and archives written by
// `berth image save` load into Docker and run there. Containers run with --network none.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildProcessRunner } from '../../src/base/process-runner.js';
import { buildBusyboxRootfs } from '../../src/images/bootstrap/busybox-rootfs.js';
import { berth, berthOk, inspectImage, needsRoot } from '../support/berth-cli.js';
import { PrivateDockerd } from '../support/private-dockerd.js';

const skip = needsRoot() || (existsSync('/usr/sbin/dockerd') ? false : 'needs dockerd (docker.io)');
const runner = new ChildProcessRunner();

const FROM_DOCKER = 'compat/from-docker:1';
const FROM_BERTH = 'compat/from-berth:1';
const LAYERED = 'compat/layered:1';

// Adds a file in one layer (COPY) and deletes a file of the base layer in the next (RUN rm).
const LAYERED_DOCKERFILE = `FROM ${FROM_DOCKER}
COPY added.txt /added.txt
RUN rm /etc/group
`;

describe('docker-archive interop with a real Docker', { skip }, () => {
  let work: string;
  let dockerd: PrivateDockerd | undefined;

  /** The running private dockerd (before() failed when it is missing). */
  const daemon = (): PrivateDockerd => {
    assert.ok(dockerd !== undefined, 'the private dockerd did not start');
    return dockerd;
  };
  const dockerId = async (ref: string): Promise<string> =>
    (await daemon().docker(['image', 'inspect', '--format', '{{.Id}}', ref])).stdout.trim();

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-docker-compat-'));
    dockerd = await PrivateDockerd.start();
  });
  after(async () => {
    try {
      await dockerd?.stop();
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  test('docker import + docker save → berth image load keeps name, Cmd, id and layer content', async () => {
    const rootfs = join(work, 'busybox-rootfs');
    await buildBusyboxRootfs(rootfs, runner);
    const rootfsTar = join(work, 'busybox-rootfs.tar');
    await runner.run('tar', ['-C', rootfs, '-cf', rootfsTar, '.']);
    await daemon().docker(['import', '-c', 'CMD ["sh"]', rootfsTar, FROM_DOCKER]);
    const archive = join(work, 'from-docker.tar');
    await daemon().docker(['save', '-o', archive, FROM_DOCKER]);

    const root = join(work, 'root-a');
    const loaded = await berthOk(root, ['image', 'load', '-i', archive]);
    assert.match(loaded, /^Loaded image: compat\/from-docker:1$/m);
    const image = await inspectImage(root, FROM_DOCKER);
    assert.deepEqual(image.RepoTags, [FROM_DOCKER]);
    assert.deepEqual(image.Config.Cmd, ['sh']);
    assert.equal(image.Id, await dockerId(FROM_DOCKER));
    const layer = image.GraphDriver.Data.UpperDir;
    assert.ok((await stat(join(layer, 'bin', 'busybox'))).isFile(), `${layer}/bin/busybox is a file`);
    assert.equal(await readFile(join(layer, 'etc', 'passwd'), 'utf8'), await readFile(join(rootfs, 'etc', 'passwd'), 'utf8'));
  });

  test('berth image save (docker-archive) → docker load runs and keeps the id', async () => {
    const root = join(work, 'root-b');
    await berthOk(root, ['image', 'bootstrap', 'busybox', '--tag', FROM_BERTH]);
    const archive = join(work, 'from-berth.tar');
    await berthOk(root, ['image', 'save', '-o', archive, FROM_BERTH]);

    const { stdout: loaded } = await daemon().docker(['load', '-i', archive]);
    assert.match(loaded, /Loaded image: compat\/from-berth:1/);
    const { stdout } = await daemon().docker(['run', '--rm', '--network', 'none', FROM_BERTH, '/bin/sh', '-c', 'echo hello-from-berth']);
    assert.equal(stdout.trim(), 'hello-from-berth');
    const image = await inspectImage(root, FROM_BERTH);
    assert.equal(await dockerId(FROM_BERTH), image.Id);
  });

  test('berth image save --format oci-archive → docker load (outcome recorded, not asserted)', async (t) => {
    // Docker 20.10's `docker load` reads only manifest.json (docker-archive); a pure OCI layout is
    // expected to be refused. Whatever it does is reported as a diagnostic.
    const root = join(work, 'root-b');
    const archive = join(work, 'from-berth-oci.tar');
    await berthOk(root, ['image', 'save', '--format', 'oci-archive', '-o', archive, FROM_BERTH]);
    await daemon().docker(['rmi', FROM_BERTH]);
    const outcome = await daemon().docker(['load', '-i', archive]).then(
      (result) => `loaded: ${result.stdout.trim()}`,
      (err: unknown) => `refused: ${err instanceof Error ? err.message : String(err)}`,
    );
    t.diagnostic(`docker load of berth's oci-archive ${outcome}`);
  });

  test('a multi-layer docker build → berth: the deleted file is a whiteout in the top layer', async () => {
    const context = join(work, 'layered-context');
    await mkdir(context);
    await writeFile(join(context, 'added.txt'), 'added by COPY\n');
    await writeFile(join(context, 'Dockerfile'), LAYERED_DOCKERFILE);
    await daemon().docker(['build', '-q', '--network', 'none', '-t', LAYERED, context]);
    const { stdout: layerCount } = await daemon().docker(['image', 'inspect', '--format', '{{len .RootFS.Layers}}', LAYERED]);
    assert.equal(layerCount.trim(), '3');
    const archive = join(work, 'layered.tar');
    await daemon().docker(['save', '-o', archive, LAYERED]);

    const root = join(work, 'root-c');
    assert.match(await berthOk(root, ['image', 'load', '-i', archive]), /^Loaded image: compat\/layered:1$/m);
    const image = await inspectImage(root, LAYERED);
    assert.equal(image.Id, await dockerId(LAYERED));
    const top = image.GraphDriver.Data.UpperDir;
    const lowers = image.GraphDriver.Data.LowerDir.split(':');
    assert.equal(lowers.length, 2, `two lower layers: ${image.GraphDriver.Data.LowerDir}`);

    const whiteout = await lstat(join(top, 'etc', 'group'));
    assert.ok(whiteout.isCharacterDevice(), 'etc/group in the top layer is a character device');
    assert.equal(whiteout.rdev, 0, 'the whiteout is device 0/0');
    assert.ok(!existsSync(join(top, 'etc', '.wh.group')), 'no .wh. marker file is left in the layer dir');
    // The COPY layer holds the added file and the base layer still has the deleted one.
    const found = await Promise.all(lowers.map(async (dir) => ({
      added: existsSync(join(dir, 'added.txt')) ? await readFile(join(dir, 'added.txt'), 'utf8') : undefined,
      group: existsSync(join(dir, 'etc', 'group')),
    })));
    assert.ok(found.some((layer) => layer.added === 'added by COPY\n'), 'a lower layer has added.txt');
    assert.ok(found.some((layer) => layer.group), 'a lower layer still has etc/group');

    const removed = await berth(root, ['image', 'rm', LAYERED]);
    assert.equal(removed.code, 0, removed.stderr);
  });
});
