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
