// `berth compose` against a real berthd with a multi-service application (compose-app.ts): a
// malformed file fails naming its line and field and creates nothing; `up -d --wait` brings the
// services up in dependency order and the published port on 127.0.0.1 answers with what web read
// from api by name; a second `up` with one service changed recreates only that one; `down -v`
// leaves no container, network or volume. Needs root, runc, conmon, CNI and the docker CLI (used
// only to look at berthd's state).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DockerCliSession, dockerCliSkip } from '../../support/docker-cli-session.js';
import { freeLoopbackPort } from '../network/network-fixture.js';
import { berthCompose, httpGet, writeShop } from './compose-app.js';

const PROJECT = 'com.docker.compose.project=shop';

interface Inspect {
  Created: string;
  State: { StartedAt: string; FinishedAt: string; ExitCode: number; Status: string; Health?: { Status: string; Log: { End: string; ExitCode: number }[] } };
  Config: { Labels: Record<string, string> };
}

/** Polls `work` until it returns without throwing (bounded). */
async function eventuallyValue<T>(what: string, work: () => Promise<T>, boundMs = 30_000): Promise<T> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    try {
      return await work();
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${what}: still failing after ${boundMs} ms`, { cause: err });
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('berth compose runs a multi-service application on berthd', { skip: dockerCliSkip() }, () => {
  let s: DockerCliSession;
  let app: string;
  let port: number;
  const compose = (args: string[], env: Record<string, string> = {}) => berthCompose(s.daemon.socketPath, app, args, env);
  const lines = (text: string): string[] => text.split('\n').filter(Boolean).sort();
  const projectState = () => ({
    containers: lines(s.ok('ps', '-a', '--filter', `label=${PROJECT}`, '--format', '{{.Names}}')),
    networks: lines(s.ok('network', 'ls', '--format', '{{.Name}}')).filter((n) => n.startsWith('shop_')),
    volumes: lines(s.ok('volume', 'ls', '--format', '{{.Name}}')).filter((n) => n.startsWith('shop_')),
  });

  const inspect = (name: string): Inspect => {
    const [found] = JSON.parse(s.ok('inspect', name)) as Inspect[];
    assert.ok(found, name);
    return found;
  };

  before(async () => {
    s = await DockerCliSession.start('berth-compose-');
    app = join(s.work, 'app');
    port = await freeLoopbackPort();
    await writeShop(app, port);
  });
  after(async () => {
    try {
      if ((s as DockerCliSession | undefined) !== undefined) await compose(['down', '-v']);
    } finally {
      await (s as DockerCliSession | undefined)?.close({ volumes: true, extra: () => { s.docker(['network', 'prune', '-f']); s.docker(['volume', 'prune', '-af']); } });
    }
  });

  test('a malformed file fails naming the file, line and field, and creates nothing', async () => {
    await writeFile(join(app, 'bad.yaml'), 'services:\n  web:\n    image: busybox\n    ports:\n      - target: http\nvolumes:\n  data: {}\n');
    const result = await compose(['-f', 'bad.yaml', 'up', '-d']);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /bad\.yaml:5: services\.web\.ports\[0\]\.target must be integer/);
    const missing = await compose(['up', '-d'], { WEB_PORT: '' });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /compose\.yaml:\d+: services\.web\.ports\[0\]: required variable WEB_PORT is missing a value/);
    assert.deepEqual(projectState(), { containers: [], networks: [], volumes: [] });
  });

  test('up -d --wait starts the services in dependency order and the published port answers', async () => {
    const up = await compose(['up', '-d', '--wait']);
    assert.equal(up.code, 0, up.stderr);
    assert.deepEqual(projectState(), {
      containers: ['shop-api-1', 'shop-db-1', 'shop-migrate-1', 'shop-web-1'], networks: ['shop_back', 'shop_front'], volumes: ['shop_dbdata'],
    });
    const migrate = inspect('shop-migrate-1');
    const db = inspect('shop-db-1');
    const web = inspect('shop-web-1');
    assert.equal(migrate.State.Status, 'exited');
    assert.equal(migrate.State.ExitCode, 0);
    assert.equal(db.State.Health?.Status, 'healthy');
    // web was created only after migrate finished and after db's first passing probe.
    assert.ok(Date.parse(web.Created) >= Date.parse(migrate.State.FinishedAt), `web created ${web.Created}, migrate finished ${migrate.State.FinishedAt}`);
    const firstHealthy = db.State.Health.Log.find((probe) => probe.ExitCode === 0);
    assert.ok(firstHealthy !== undefined && Date.parse(web.Created) >= Date.parse(firstHealthy.End));
    assert.equal(web.Config.Labels['com.docker.compose.service'], 'web');
    assert.equal(web.Config.Labels['com.docker.compose.container-number'], '1');
    assert.equal(web.Config.Labels['com.docker.compose.oneoff'], 'False');
    assert.equal(web.Config.Labels['com.docker.compose.project.working_dir'], app);
    assert.match(web.Config.Labels['com.docker.compose.config-hash'] ?? '', /^[0-9a-f]{64}$/);
    assert.equal(JSON.parse(s.ok('network', 'inspect', '--format', '{{json .Internal}}', 'shop_back')), true);
    assert.equal(s.ok('volume', 'inspect', '--format', '{{index .Labels "com.docker.compose.volume"}}', 'shop_dbdata').trim(), 'dbdata');
    // Through the published port: web's CGI asks api by name over the internal network.
    assert.equal(await eventuallyValue('web answers', () => httpGet(port, '/cgi-bin/q')), 'secret-token\n');
    assert.equal(await httpGet(port, '/'), 'web\n');
    // api is not reachable from outside the internal network, and web reaches it by its alias too.
    assert.equal(s.ok('exec', 'shop-web-1', 'sh', '-c', 'timeout 3 wget -qO- http://backend/'), 'secret-token\n');
    const ps = await compose(['ps', '--format', 'json']);
    assert.deepEqual((JSON.parse(ps.stdout) as { Service: string }[]).map((c) => c.Service).sort(), ['api', 'db', 'web']);
  });

  test('exec, run and logs reach the services', async () => {
    const exec = await compose(['exec', '-T', 'api', 'cat', '/run/secrets/token']);
    assert.equal(exec.code, 0, exec.stderr);
    assert.equal(exec.stdout, 'secret-token\n');
    const run = await compose(['run', '--rm', '-T', 'db', 'sh', '-c', 'cat /data/migrated; exit 7']);
    assert.equal(run.code, 7, run.stderr);
    assert.equal(run.stdout, '1\n');
    assert.deepEqual(projectState().containers, ['shop-api-1', 'shop-db-1', 'shop-migrate-1', 'shop-web-1']);
    const logs = await compose(['logs', '--no-color', 'migrate', 'api']);
    assert.equal(logs.code, 0, logs.stderr);
    const stop = await compose(['stop', 'db']);
    assert.equal(stop.code, 0, stop.stderr);
    assert.equal(inspect('shop-db-1').State.Status, 'exited');
    const start = await compose(['start', 'db']);
    assert.equal(start.code, 0, start.stderr);
    assert.equal(inspect('shop-db-1').State.Status, 'running');
  });

  test('up --wait exits non-zero when a service turns unhealthy', async () => {
    await writeFile(join(app, 'sick.yaml'), 'services:\n  sick:\n    image: busybox\n    command: sleep 300\n    stop_signal: SIGKILL\n    healthcheck:\n      test: ["CMD", "false"]\n      interval: 1s\n      retries: 2\n');
    const sick = await compose(['-f', 'sick.yaml', '-p', 'sick', 'up', '-d', '--wait', '--wait-timeout', '60']);
    assert.equal(sick.code, 5, sick.stderr);
    assert.match(sick.stderr, /container sick-sick-1 is unhealthy/);
    const down = await compose(['-f', 'sick.yaml', '-p', 'sick', 'down']);
    assert.equal(down.code, 0, down.stderr);
    assert.equal(s.ok('ps', '-a', '--filter', 'label=com.docker.compose.project=sick', '--format', '{{.Names}}'), '');
  });

  test('a second up recreates only the service whose configuration changed', async () => {
    const ids = (): Record<string, string> => Object.fromEntries(s.ok('ps', '-a', '--filter', `label=${PROJECT}`, '--format', '{{.Names}} {{.ID}}').split('\n').filter(Boolean).map((l) => l.split(' ') as [string, string]));
    const before = ids();
    const again = await compose(['up', '-d', '--wait']);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(ids(), before);
    const changed = await compose(['up', '-d', '--wait'], { MODE: 'maintenance' });
    assert.equal(changed.code, 0, changed.stderr);
    const after = ids();
    assert.notEqual(after['shop-api-1'], before['shop-api-1']);
    for (const name of ['shop-web-1', 'shop-db-1', 'shop-migrate-1']) assert.equal(after[name], before[name], name);
    assert.equal(await eventuallyValue('web reaches the new api', () => httpGet(port, '/cgi-bin/q')), 'secret-token\n');
  });

  test('down -v leaves no container, network or volume of the project', async () => {
    const down = await compose(['down', '-v']);
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(projectState(), { containers: [], networks: [], volumes: [] });
  });
});
