import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBerthError } from '../base/errors.js';
import { loadProject, normalizeProjectName, type LoadOptions } from './project-loader.js';

async function withFiles(files: Record<string, string>, work: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-compose-load-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      await mkdir(join(dir, name, '..'), { recursive: true });
      await writeFile(join(dir, name), text);
    }
    await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const options = (dir: string, more: Partial<LoadOptions> = {}): LoadOptions => ({ files: [], envFiles: [], profiles: [], env: {}, cwd: dir, ...more });

test('several -f files merge in order: maps merge, lists of mounts merge by target, ports append, command is replaced', async () => {
  await withFiles({
    'compose.yaml': 'services:\n  web:\n    image: busybox\n    command: [a, b]\n    environment: [A=1, B=2]\n    ports: ["8080:80"]\n    volumes: ["data:/data", "./src:/src"]\n    labels: { x: "1" }\nvolumes:\n  data: {}\n',
    'override.yaml': 'services:\n  web:\n    command: [c]\n    environment: { B: "3", C: "4" }\n    ports: ["8443:443"]\n    volumes: ["./other:/src:ro"]\n',
  }, async (dir) => {
    const { project } = await loadProject(options(dir, { files: ['compose.yaml', 'override.yaml'] }));
    const [web] = project.services;
    assert.ok(web);
    assert.equal(project.name, normalizeProjectName(dir.split('/').pop() ?? ''));
    assert.deepEqual(web.command, ['c']);
    assert.deepEqual(web.environment, { A: '1', B: '3', C: '4' });
    assert.deepEqual(web.ports.map((p) => `${p.published ?? ''}:${p.target}`), ['8080:80', '8443:443']);
    assert.deepEqual(web.volumes, [
      { type: 'volume', source: 'data', target: '/data' },
      { type: 'bind', source: join(dir, 'other'), target: '/src', read_only: true },
    ]);
    assert.deepEqual(web.networks, { default: {} });
    assert.equal(project.networks.default?.name, `${project.name}_default`);
    assert.equal(project.volumes.data?.name, `${project.name}_data`);
  });
});

test('.env feeds interpolation under the process environment; env_file feeds the container', async () => {
  await withFiles({
    'compose.yaml': 'name: Demo.App\nservices:\n  web:\n    image: "busybox:${TAG}"\n    env_file: [web.env]\n    environment: { FROM_FILE: overridden, PASS: null }\n',
    '.env': 'TAG=from-dotenv\nOTHER=x\n',
    'web.env': 'FROM_FILE=file\nONLY_FILE=${OTHER}\n',
  }, async (dir) => {
    const { project } = await loadProject(options(dir, { env: { TAG: 'from-process', PASS: 'through' } }));
    assert.equal(project.name, 'demoapp');
    const [web] = project.services;
    assert.ok(web);
    assert.equal(web.image, 'busybox:from-process');
    assert.deepEqual(web.environment, { FROM_FILE: 'overridden', ONLY_FILE: 'x', PASS: 'through' });
  });
});

test('extends from the same file and from another file, relative paths staying with their file', async () => {
  await withFiles({
    'compose.yaml': 'services:\n  base:\n    image: busybox\n    environment: { A: "1" }\n  web:\n    extends: base\n    environment: { B: "2" }\n  worker:\n    extends: { file: common/base.yaml, service: job }\n    command: [run]\n',
    'common/base.yaml': 'services:\n  job:\n    image: alpine\n    volumes: ["./data:/data"]\n    command: [old]\n',
  }, async (dir) => {
    const { project } = await loadProject(options(dir));
    const [web, worker] = [project.services.find((s) => s.name === 'web'), project.services.find((s) => s.name === 'worker')];
    assert.ok(web && worker);
    assert.deepEqual(web.environment, { A: '1', B: '2' });
    assert.equal(web.image, 'busybox');
    assert.equal(worker.image, 'alpine');
    assert.deepEqual(worker.command, ['run']);
    assert.equal(worker.volumes[0]?.source, join(dir, 'common', 'data'));
  });
});

test('an extends cycle is an error', async () => {
  await withFiles({ 'compose.yaml': 'services:\n  a:\n    extends: b\n  b:\n    extends: a\n' }, async (dir) => {
    await assert.rejects(loadProject(options(dir)), (err: unknown) => isBerthError(err, 'invalid-argument') && err.reason === 'compose-extends-cycle');
  });
});

test('include adds another project\'s services; a name on both sides conflicts', async () => {
  await withFiles({
    'compose.yaml': 'include:\n  - db/compose.yaml\nservices:\n  web:\n    image: busybox\n    depends_on: [db]\n',
    'db/compose.yaml': 'services:\n  db:\n    image: busybox\n    volumes: [dbdata:/data]\nvolumes:\n  dbdata: {}\n',
    'clash.yaml': 'include: [db/compose.yaml]\nservices:\n  db:\n    image: other\n',
  }, async (dir) => {
    const { project } = await loadProject(options(dir));
    assert.deepEqual(project.services.map((s) => s.name), ['db', 'web']);
    assert.ok(project.volumes.dbdata);
    await assert.rejects(loadProject(options(dir, { files: ['clash.yaml'] })), (err: unknown) => isBerthError(err, 'conflict') && /clash\.yaml:1: include\[0\]: services\.db/.test(err.message));
  });
});

test('profiles leave services out unless enabled; references are checked', async () => {
  await withFiles({
    'compose.yaml': 'services:\n  web:\n    image: busybox\n  debug:\n    image: busybox\n    profiles: [dev]\n',
    'bad.yaml': 'services:\n  web:\n    image: busybox\n    networks: [nope]\n',
  }, async (dir) => {
    assert.deepEqual((await loadProject(options(dir))).project.services.map((s) => s.name), ['web']);
    assert.deepEqual((await loadProject(options(dir, { profiles: ['dev'] }))).project.services.map((s) => s.name), ['debug', 'web']);
    await assert.rejects(loadProject(options(dir, { files: ['bad.yaml'] })), /undefined network nope/);
  });
});

test('a schema error in a -f file names that file and line', async () => {
  await withFiles({ 'compose.yaml': 'services:\n  web:\n    image: busybox\n', 'o.yaml': 'services:\n  web:\n    ports:\n      - target: x\n' }, async (dir) => {
    await assert.rejects(loadProject(options(dir, { files: ['compose.yaml', 'o.yaml'] })), (err: unknown) =>
      isBerthError(err, 'invalid-argument') && err.message === `${join(dir, 'o.yaml')}:4: services.web.ports[0].target must be integer`);
  });
});

/** Asserts that loading rejects with invalid-argument and exactly `message`. */
async function rejectsWith(load: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(load, (err: unknown) => {
    assert.ok(isBerthError(err, 'invalid-argument'), String(err));
    assert.equal(err.message, message);
    return true;
  });
}

test('a value the schema lets through but normalization rejects names the file, the line and the field', async () => {
  const head = 'services:\n  web:\n    image: busybox\n';
  await withFiles({
    'ports.yaml': `${head}    ports:\n      - "8080:80"\n      - "abc"\n`,
    'interpolated.yaml': `${head}    ports: ["\${PORT}"]\n`,
    'volumes.yaml': `${head}    volumes:\n      - data:/data:ro:extra\nvolumes:\n  data: {}\n`,
    'empty-volume.yaml': `${head}    volumes: ["/src::ro"]\n`,
    'memory.yaml': `${head}    deploy:\n      resources:\n        limits:\n          memory: lots\n`,
    'tmpfs.yaml': `${head}    volumes:\n      - type: tmpfs\n        target: /t\n        tmpfs:\n          size: huge\n`,
    'depends.yaml': `${head}    depends_on:\n      db:\n        condition: service_started\n        required: "yes"\n  db:\n    image: busybox\n`,
    'duration.yaml': `${head}    healthcheck:\n      test: [CMD, "true"]\n      interval: 5x\n`,
  }, async (dir) => {
    const load = (file: string, env: Record<string, string> = {}): Promise<unknown> => loadProject(options(dir, { files: [file], env }));
    await rejectsWith(load('ports.yaml'), `${join(dir, 'ports.yaml')}:6: services.web.ports[1]: invalid port "abc"`);
    await rejectsWith(load('interpolated.yaml', { PORT: 'abc' }), `${join(dir, 'interpolated.yaml')}:4: services.web.ports[0]: invalid port "abc"`);
    await rejectsWith(load('volumes.yaml'), `${join(dir, 'volumes.yaml')}:5: services.web.volumes[0]: invalid volume "data:/data:ro:extra": too many colons`);
    await rejectsWith(load('empty-volume.yaml'), `${join(dir, 'empty-volume.yaml')}:4: services.web.volumes[0]: invalid volume "/src::ro": empty section between colons`);
    await rejectsWith(load('memory.yaml'), `${join(dir, 'memory.yaml')}:7: services.web.deploy.resources.limits.memory: invalid size "lots"`);
    await rejectsWith(load('tmpfs.yaml'), `${join(dir, 'tmpfs.yaml')}:8: services.web.volumes[0].tmpfs.size: invalid size "huge"`);
    await rejectsWith(load('depends.yaml'), `${join(dir, 'depends.yaml')}:7: services.web.depends_on.db.required: must be boolean`);
    // A duration is checked by the schema's own `duration` format first: the same file:line form.
    await rejectsWith(load('duration.yaml'), `${join(dir, 'duration.yaml')}:6: services.web.healthcheck.interval must match format "duration"`);
    const { project } = await loadProject(options(dir, { files: ['interpolated.yaml'], env: { PORT: '127.0.0.1:8080-8081:80-81/udp' } }));
    assert.deepEqual(project.services[0]?.ports, [
      { target: 80, protocol: 'udp', published: '8080', host_ip: '127.0.0.1' },
      { target: 81, protocol: 'udp', published: '8081', host_ip: '127.0.0.1' },
    ]);
  });
});

test('a bad value in the second -f file names that file', async () => {
  await withFiles({
    'compose.yaml': 'services:\n  web:\n    image: busybox\n    ports: ["8080:80"]\n',
    'o.yaml': 'services:\n  web:\n    ports:\n      - "8443:443/http"\n',
  }, async (dir) => {
    await assert.rejects(loadProject(options(dir, { files: ['compose.yaml', 'o.yaml'] })), (err: unknown) => {
      assert.ok(isBerthError(err, 'invalid-argument'));
      assert.equal(err.message, `${join(dir, 'o.yaml')}:4: services.web.ports[0]: invalid port "8443:443/http"`);
      assert.equal(err.reason, 'compose-port');
      assert.deepEqual(err.details, { file: join(dir, 'o.yaml'), line: 4, field: 'services.web.ports[0]' });
      return true;
    });
  });
});
