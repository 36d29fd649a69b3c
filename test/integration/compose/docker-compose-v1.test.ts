// Debian's docker-compose 1.29 (python) pointed at berthd with the application of compose-app.ts
// (its `name:` left out: 1.29 predates it, the project is given with -p): up in dependency order,
// service-to-service DNS, the published port, exec, scale, restart, a changed service recreated,
// logs, run, down -v. Needs root, runc, conmon, CNI, the docker CLI and docker-compose.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DockerCliSession, dockerCliSkip } from '../../support/docker-cli-session.js';
import { freeLoopbackPort } from '../network/network-fixture.js';
import { httpGet, shopFile, writeShop } from './compose-app.js';

const DOCKER_COMPOSE = '/usr/bin/docker-compose';

function skip(): string | false {
  return dockerCliSkip() || (!existsSync(DOCKER_COMPOSE) && 'no docker-compose (apt-get install docker-compose)');
}

describe('docker-compose 1.29 runs the application on berthd', { skip: skip() }, () => {
  let s: DockerCliSession;
  let app: string;
  let port: number;
  const compose = (args: string[], env: Record<string, string> = {}) => {
    const result = spawnSync(DOCKER_COMPOSE, ['-p', 'shop', ...args], { cwd: app, env: { ...s.env(), ...env }, encoding: 'utf8', timeout: 180_000 });
    return { code: result.status, out: result.stdout, err: result.stderr };
  };
  const names = (): string[] => s.ok('ps', '-a', '--filter', 'label=com.docker.compose.project=shop', '--format', '{{.Names}}').split('\n').filter(Boolean).sort();

  before(async () => {
    s = await DockerCliSession.start('berth-compose-v1-');
    app = join(s.work, 'app');
    port = await freeLoopbackPort();
    await writeShop(app, port);
    await writeFile(join(app, 'compose.yaml'), shopFile().replace('name: shop\n', ''));
  });
  after(async () => {
    try {
      if ((s as DockerCliSession | undefined) !== undefined) compose(['down', '-v']);
    } finally {
      await (s as DockerCliSession | undefined)?.close({ volumes: true, extra: () => { s.docker(['network', 'prune', '-f']); s.docker(['volume', 'prune', '-af']); } });
    }
  });

  test('up -d in dependency order; DNS between services; exec; logs', () => {
    const up = compose(['up', '-d']);
    assert.equal(up.code, 0, up.err);
    assert.deepEqual(names(), ['shop_api_1', 'shop_db_1', 'shop_migrate_1', 'shop_web_1']);
    const [db] = JSON.parse(s.ok('inspect', 'shop_db_1')) as { State: { Health?: { Status: string } } }[];
    assert.equal(db?.State.Health?.Status, 'healthy');
    assert.equal(s.ok('exec', 'shop_web_1', 'sh', '-c', 'timeout 3 wget -qO- http://api/ && timeout 3 wget -qO- http://backend/'), 'secret-token\nsecret-token\n');
    const exec = compose(['exec', '-T', 'api', 'cat', '/run/secrets/token']);
    assert.equal(exec.out, 'secret-token\n', exec.err);
    assert.equal(compose(['logs', '--no-color', 'migrate']).code, 0);
    const again = compose(['up', '-d']);
    assert.equal(again.code, 0, again.err);
    assert.match(again.err, /shop_web_1 is up-to-date/);
  });

  test('scale, restart and run', () => {
    const scaled = compose(['up', '-d', '--scale', 'api=2']);
    assert.equal(scaled.code, 0, scaled.err);
    assert.deepEqual(names(), ['shop_api_1', 'shop_api_2', 'shop_db_1', 'shop_migrate_1', 'shop_web_1']);
    assert.equal(compose(['restart', 'api']).code, 0);
    const run = compose(['run', '--rm', '-T', 'db', 'sh', '-c', 'cat /data/migrated; exit 4']);
    assert.equal(run.code, 4, run.err);
    assert.match(run.out, /^1$/m);
  });

  // docker-compose 1.29 creates web on shop_back (it sorts networks by name), which is internal, and
  // connects shop_front before the start: the port is published on the first network that is not
  // internal, as dockerd does.
  test('the published port answers', async () => {
    assert.equal(await httpGet(port, '/'), 'web\n');
  });

  // To recreate a container docker-compose 1.29 reads the image inspect's ContainerConfig.
  test('a changed service is recreated', () => {
    const changed = compose(['up', '-d'], { MODE: 'maintenance' });
    assert.equal(changed.code, 0, changed.err);
  });

  test('down -v leaves no container, network or volume', () => {
    const down = compose(['down', '-v']);
    assert.equal(down.code, 0, down.err);
    assert.deepEqual(names(), []);
    assert.doesNotMatch(s.ok('network', 'ls', '--format', '{{.Name}}'), /shop_/);
    assert.doesNotMatch(s.ok('volume', 'ls', '--format', '{{.Name}}'), /shop_/);
  });
});
