// Secrets and configs on the lab: two managers (nodes A and B) and one worker (C). A secret and a
// config are created on A; a service on the worker gets them as files: the secret readable at
// /run/secrets/NAME on a tmpfs, the config at its path with its mode. The plain value is in no
// value of the lab's etcd and in no file of any node's state root on disk; the data key is in the
// managers' state roots only (B got it when it joined); removing a secret in use is refused; a key
// rotated on A is fetched by B when it needs it; the files go with the task's container.
// Traffic only between the lab's namespaces. Needs root.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { connectEtcd } from '../../../src/cluster/store/etcd-client.js';
import { tlsFilesIn } from '../../../src/cluster/trust/index.js';
import { readMountinfo } from '../../../src/mount/mountinfo.js';
import { berthAt } from '../../support/berth-cli.js';
import { DOCKER_CLI, dockerCliSkip } from '../../support/docker-cli-session.js';
import { labSkipReason } from '../../support/lab.js';
import { labSuite } from '../../support/lab-session.js';
import type { SwarmConfig } from '../../../src/wire/swarm-secrets.js';
import { eventually } from './etcd-fixtures.js';

const runner = new ChildProcessRunner();
/** Placement and starts take seconds; this bound only ends a run that is stuck. */
const CONVERGE_MS = 90_000;
const ANY_CODE = { okCodes: Array.from({ length: 256 }, (_, code) => code) };
/** A value that appears nowhere else. */
const PLAIN = `berth-secret-${process.pid}-${Date.now()}-do-not-store`;
const CONFIG = 'listen 8080\n';
/** The lab's worker (after the two managers). */
const WORKER = 2;

/** Every regular file below `dir` on the same filesystem (tmpfs and overlay mounts below it are skipped). */
async function filesOnDisk(dir: string, device: number): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(dir).catch(() => []);
  for (const name of entries) {
    const path = join(dir, name);
    const info = await lstat(path).catch(() => undefined);
    if (info === undefined || info.dev !== device) continue;
    if (info.isDirectory()) found.push(...await filesOnDisk(path, device));
    else if (info.isFile()) found.push(path);
  }
  return found;
}

describe('secrets and configs on the lab', { skip: labSkipReason() }, () => {
  const { node: labNode, client, cli } = labSuite(2, 1);
  /** Runs a shell line in the container of `service`'s task on lab node `index`. */
  const execIn = async (index: number, service: string, line: string): Promise<string> => {
    const [container] = await client(index).containers.list({ filters: { label: [`com.docker.swarm.service.name=${service}`] } });
    assert.ok(container, `a ${service} container on lab node ${index}`);
    const result = await berthAt(labNode(index).socket, ['exec', container.Id, 'sh', '-c', line]);
    return `${result.stdout}${result.stderr}`;
  };
  const runningOn = async (service: string, index: number): Promise<boolean> => {
    const containers = await client(index).containers.list({ filters: { label: [`com.docker.swarm.service.name=${service}`] } });
    return containers.some((c) => c.State === 'running');
  };


  test('a task on the worker reads its secret from a tmpfs at /run/secrets and its config with its mode', async () => {
    const id = (await berthAt(labNode(0).socket, ['secret', 'create', 'db-pass', '-'], { input: Buffer.from(PLAIN) })).stdout.trim();
    assert.match(id, /^[a-z0-9]{25}$/);
    const inspected = await cli(0, ['secret', 'inspect', 'db-pass']);
    assert.ok(!inspected.includes(PLAIN) && !inspected.includes(Buffer.from(PLAIN).toString('base64')), 'inspect never shows a secret\'s data');
    const configFile = join(labNode(0).root, '..', 'app.conf');
    await runner.run('sh', ['-c', `printf '${CONFIG.replace('\n', '\\n')}' > ${configFile}`]);
    await cli(0, ['config', 'create', 'app.conf', configFile]);
    const [config] = JSON.parse(await cli(0, ['config', 'inspect', 'app.conf'])) as SwarmConfig[];
    assert.equal(config?.Spec.Data, Buffer.from(CONFIG).toString('base64'));
    const taken = await berthAt(labNode(0).socket, ['secret', 'create', 'db-pass', '-'], { input: Buffer.from('x') });
    assert.match(taken.stderr, /secret db-pass already exists/);
    const badName = await berthAt(labNode(0).socket, ['secret', 'create', 'bad/name', '-'], { input: Buffer.from('x') });
    assert.notEqual(badName.code, 0);

    await cli(0, ['service', 'create', '--name', 'app', '--constraint', 'node.role==worker', '--detach',
      '--secret', 'db-pass', '--secret', 'source=db-pass,target=alt,mode=0400',
      '--config', 'source=app.conf,target=/etc/app.conf,mode=0440', 'busybox', 'sleep', '100000']);
    await eventually('the app task runs on the worker', () => runningOn('app', WORKER), CONVERGE_MS);

    assert.equal(await execIn(WORKER, 'app', 'cat /run/secrets/db-pass'), PLAIN);
    assert.equal(await execIn(WORKER, 'app', 'cat /etc/app.conf'), CONFIG);
    assert.equal((await execIn(WORKER, 'app', 'stat -c %a /run/secrets/db-pass /run/secrets/alt /etc/app.conf')).trim().split('\n').join(' '), '444 400 440');
    const mounts = await execIn(WORKER, 'app', 'cat /proc/mounts');
    assert.match(mounts, /^\S+ \/run\/secrets\/db-pass tmpfs ro[, ]/m, 'the secret is on a tmpfs, read-only');
    assert.match(mounts, /^\S+ \/etc\/app\.conf tmpfs ro[, ]/m);
    const write = await execIn(WORKER, 'app', 'echo x > /run/secrets/db-pass && echo written || echo refused');
    assert.match(write, /refused/);
    assert.doesNotMatch(write, /written/);
  });

  test('the data key is in each manager\'s state root (0600, the same on both) and on no worker', async () => {
    const file = (index: number): string => join(labNode(index).root, 'cluster', 'data-keys.json');
    assert.equal((await lstat(file(0))).mode & 0o777, 0o600);
    assert.equal((await lstat(file(1))).mode & 0o777, 0o600);
    assert.equal(await readFile(file(1), 'utf8'), await readFile(file(0), 'utf8'));
    await assert.rejects(lstat(file(WORKER)), /ENOENT/);
  });

  test('the plain value is in no value of the cluster\'s etcd and in no file on any node\'s disk', async () => {
    const manager = labNode(0);
    const membership = JSON.parse(await readFile(join(manager.root, 'cluster', 'membership.json'), 'utf8')) as { etcd: { clientUrl: string } };
    const files = tlsFilesIn(join(manager.root, 'cluster', 'tls', 'etcd'));
    const [keyPem, certPem, caCertPem] = await Promise.all([files.keyFile, files.certFile, files.caFile].map((f) => readFile(f, 'utf8')));
    const etcd = connectEtcd([membership.etcd.clientUrl], { tls: { keyPem: keyPem ?? '', certPem: certPem ?? '', caCertPem: caCertPem ?? '' } });
    try {
      const all = await etcd.getAll().prefix('/').buffers();
      const keys = Object.keys(all);
      assert.ok(keys.some((k) => k.startsWith('/berth/secret/')), 'the secret is in etcd (sealed)');
      const encoded = Buffer.from(PLAIN).toString('base64');
      for (const [key, value] of Object.entries(all)) {
        assert.ok(!value.includes(PLAIN) && !value.toString('utf8').includes(encoded), `etcd key ${key} holds the plain value`);
      }
      assert.ok(!Object.values(all).some((v) => v.toString('utf8').includes('"key"')), 'no data key in etcd');
    } finally {
      etcd.close();
    }
    for (const node of [labNode(0), labNode(1), labNode(WORKER)]) {
      const device = (await lstat(node.root)).dev;
      const paths = await filesOnDisk(node.root, device);
      assert.ok(paths.length > 10, `${node.name}: files were read`);
      for (const path of paths) {
        const bytes = await readFile(path).catch(() => Buffer.alloc(0));
        assert.ok(!bytes.includes(PLAIN), `${path} holds the plain value`);
      }
    }
  });

  test('a secret in use is not removed; a rotated data key still opens it; its files go with the task\'s container', async () => {
    const refused = await berthAt(labNode(0).socket, ['secret', 'rm', 'db-pass']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /secret 'db-pass' is in use by the following service: app/);
    assert.match(await cli(0, ['secret', 'ls']), /db-pass/);

    assert.match(await cli(0, ['cluster', 'rotate-key']), /1 secret sealed/);
    // B lacks the new key: it asks A for it over the cluster port when it seals a new secret.
    await berthAt(labNode(1).socket, ['secret', 'create', 'after-rotation', '-'], { input: Buffer.from('second') }).then((r) => { assert.equal(r.code, 0, r.stderr); });
    const keysOf = async (index: number): Promise<string[]> => (JSON.parse(await readFile(join(labNode(index).root, 'cluster', 'data-keys.json'), 'utf8')) as { keys: { id: string }[] }).keys.map((k) => k.id);
    assert.deepEqual(await keysOf(1), await keysOf(0), 'B holds both keys now');
    await cli(0, ['secret', 'rm', 'after-rotation']);
    await cli(0, ['service', 'create', '--name', 'app2', '--constraint', 'node.role==worker', '--detach', '--secret', 'db-pass', 'busybox', 'sleep', '100000']);
    await eventually('app2 runs on the worker', () => runningOn('app2', WORKER), CONVERGE_MS);
    assert.equal(await execIn(WORKER, 'app2', 'cat /run/secrets/db-pass'), PLAIN);

    const taskFiles = (): Promise<string[]> => readMountinfo().then((all) => all.map((m) => m.mountPoint).filter((p) => p.startsWith(join(labNode(WORKER).root, 'cluster-task-files') + '/')));
    assert.equal((await taskFiles()).length, 2, 'one tmpfs per task');
    await cli(0, ['service', 'rm', 'app', 'app2']);
    await eventually('the tasks\' containers and files are gone', async () => !(await runningOn('app', WORKER)) && (await taskFiles()).length === 0, CONVERGE_MS);
    await cli(0, ['secret', 'rm', 'db-pass']);
    await cli(0, ['config', 'rm', 'app.conf']);
    assert.equal((await cli(0, ['secret', 'ls', '-q'])).trim(), '');
  });

  test('the docker CLI creates, lists, inspects and removes secrets and configs', { skip: dockerCliSkip() }, async () => {
    const docker = (args: string[], input?: string) => runner.run(DOCKER_CLI, ['-H', `unix://${labNode(0).socket}`, ...args], { ...ANY_CODE, ...(input === undefined ? {} : { input }) });
    const created = await docker(['secret', 'create', '--label', 'tier=db', 'dsecret', '-'], PLAIN);
    assert.equal(created.code, 0, created.stderr);
    const listed = await docker(['secret', 'ls', '--format', '{{.Name}}']);
    assert.match(listed.stdout, /^dsecret$/m);
    const inspected = await docker(['secret', 'inspect', '--format', '{{json .Spec}}', 'dsecret']);
    assert.deepEqual(JSON.parse(inspected.stdout), { Name: 'dsecret', Labels: { tier: 'db' } });
    assert.equal((await docker(['config', 'create', 'dconfig', '-'], CONFIG)).code, 0);
    assert.equal(Buffer.from((await docker(['config', 'inspect', '--format', '{{json .Spec.Data}}', 'dconfig'])).stdout.trim().replace(/"/g, ''), 'base64').toString(), CONFIG);
    assert.equal((await docker(['secret', 'rm', 'dsecret'])).code, 0);
    assert.equal((await docker(['config', 'rm', 'dconfig'])).code, 0);
    const gone = await docker(['secret', 'inspect', 'dsecret']);
    assert.notEqual(gone.code, 0);
  });
});
