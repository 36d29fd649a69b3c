// Stacks on the lab: one manager and two workers. `berth stack deploy` turns a compose file into
// cluster services with their deploy: section (the web service's two replicas on the two workers,
// one each, with its memory limit on their containers), an overlay network on which the client
// reaches web by name (busybox httpd serving the stack's config), a secret at /run/secrets; a
// changed file rolls only the service that changed, and the docker CLI's deploy of the same file
// changes nothing; the docker CLI lists berth's stack, and berth the stack the docker CLI deploys
// from the same file; `stack rm` (each tool removing the other's stack) leaves nothing on any
// node. Waits are bounded polls of the cluster's state. Traffic only between the lab's
// namespaces. Needs root (and the docker CLI for its part).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { berthAt } from '../../support/berth-cli.js';
import { DOCKER_CLI, dockerCliSkip } from '../../support/docker-cli-session.js';
import { labSkipReason } from '../../support/lab.js';
import { labSuite } from '../../support/lab-session.js';
import { eventually } from '../cluster/etcd-fixtures.js';

/** Placement, starts and the update's monitor windows take seconds; this bound only ends a stuck run. */
const CONVERGE_MS = 90_000;
const NS = 'com.docker.stack.namespace';
const TOKEN = `stack-token-${process.pid}`;
const PAGE = 'served from the stack config\n';
/** A shell that ends at once on SIGTERM (a task's stop), running `line` in the background. */
const onTerm = (line: string): string => `["sh", "-c", "trap 'exit 0' TERM; ${line} & wait"]`;

/** `version:` for the docker CLI of Debian's docker.io 20.10, whose stack loader needs it (berth's takes it and ignores it). */
const stackFile = (round: number): string => `
version: "3.8"
services:
  web:
    image: busybox
    command: ${onTerm('httpd -f -p 80 -h /srv')}
    environment: [ROUND=${round}]
    networks: [front]
    configs: [{ source: page, target: /srv/index.html }]
    deploy:
      replicas: 2
      placement: { constraints: ["node.role==worker"], max_replicas_per_node: 1 }
      update_config: { parallelism: 1, delay: 1s, monitor: 1s, order: stop-first }
      resources: { limits: { cpus: "0.5", memory: 64M } }
  client:
    image: busybox
    command: ${onTerm('sleep 100000')}
    networks: [front]
    secrets: [token]
    container_name: ignored
networks:
  front: { driver: overlay }
secrets:
  token: { file: ./token.txt }
configs:
  page: { file: ./index.html }
`;

describe('compose stacks on the lab', { skip: labSkipReason() }, () => {
  const { node: labNode, client, cli, running } = labSuite(1, 2);
  let dir = '';
  const nodes = [0, 1, 2];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-stack-'));
    await writeFile(join(dir, 'token.txt'), TOKEN);
    await writeFile(join(dir, 'index.html'), PAGE);
    await writeFile(join(dir, 'stack.yaml'), stackFile(1));
    await writeFile(join(dir, 'stack2.yaml'), stackFile(2));
  });
  after(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  const docker = (args: string[]): string => {
    const result = spawnSync(DOCKER_CLI, args, { env: { ...process.env, DOCKER_HOST: `unix://${labNode(0).socket}`, DOCKER_CONFIG: join(dir, 'docker-config') }, encoding: 'utf8', timeout: 120_000 });
    assert.equal(result.status, 0, `docker ${args.join(' ')}: ${result.stdout}${result.stderr}`);
    return result.stdout;
  };
  /** The running task containers of `service`, with the lab node each is on. */
  const containersOf = async (service: string): Promise<{ index: number; id: string }[]> => {
    const found: { index: number; id: string }[] = [];
    for (const index of nodes) {
      const list = await client(index).containers.list({ filters: { label: [`com.docker.swarm.service.name=${service}`] } });
      for (const c of list) if (c.State === 'running') found.push({ index, id: c.Id });
    }
    return found;
  };
  const execIn = async (service: string, line: string): Promise<string> => {
    const [container] = await containersOf(service);
    assert.ok(container, `a running ${service} container`);
    const result = await berthAt(labNode(container.index).socket, ['exec', container.id, 'sh', '-c', line]);
    assert.equal(result.code, 0, `${line}: ${result.stderr}`);
    return result.stdout;
  };
  const converged = async (stack: string): Promise<boolean> => (await running(`${stack}_web`)).length === 2 && (await running(`${stack}_client`)).length === 1;

  test('berth stack deploy: replicas spread over the workers with their limits, the secret and the config in the tasks, web reached by name over the overlay', async () => {
    const deployed = await berthAt(labNode(0).socket, ['stack', 'deploy', '-c', join(dir, 'stack.yaml'), 'demo']);
    assert.equal(deployed.code, 0, deployed.stderr);
    assert.deepEqual(deployed.stdout.trim().split('\n'), [
      'Creating network demo_front', 'Creating secret demo_token', 'Creating config demo_page', 'Creating service demo_client', 'Creating service demo_web',
    ]);
    assert.match(deployed.stderr, /Ignoring deprecated options:\n\ncontainer_name: Setting the container name is not supported\./);
    await eventually('the stack runs', () => converged('demo'), CONVERGE_MS);

    const workers = new Set((await client(0).cluster.listNodes({ role: ['worker'] })).map((n) => n.ID));
    const web = await running('demo_web');
    assert.equal(new Set(web.map((t) => t.NodeID)).size, 2, 'one web task on each worker');
    assert.ok(web.every((t) => t.NodeID !== undefined && workers.has(t.NodeID)), 'web runs on workers only');
    const service = await client(0).cluster.inspectService('demo_web');
    assert.equal(service.Spec.Labels[NS], 'demo');
    assert.equal(service.Spec.Labels['com.docker.stack.image'], 'busybox');
    assert.deepEqual(service.Spec.TaskTemplate.Resources.Limits, { NanoCPUs: 500_000_000, MemoryBytes: 64 * 1024 ** 2 });
    assert.deepEqual(service.Spec.UpdateConfig, { Parallelism: 1, Delay: 1e9, FailureAction: 'pause', Monitor: 1e9, MaxFailureRatio: 0, Order: 'stop-first' });
    const [container] = await containersOf('demo_web');
    assert.ok(container);
    const inspected = await client(container.index).containers.inspect(container.id);
    assert.equal(inspected.HostConfig.Memory, 64 * 1024 ** 2, 'the limit is on the task\'s container');

    assert.equal(await execIn('demo_client', 'cat /run/secrets/token'), TOKEN);
    assert.equal(await execIn('demo_web', 'cat /srv/index.html'), PAGE);
    // The nodes' DNS learns of the service as its tasks start: the first answers may lag a little.
    for (const name of ['web', 'demo_web']) {
      await eventually(`the client reaches ${name} over the stack's network`, async () => {
        const [c] = await containersOf('demo_client');
        if (c === undefined) return false;
        const result = await berthAt(labNode(c.index).socket, ['exec', c.id, 'timeout', '5', 'wget', '-qO-', `http://${name}/`]);
        return result.code === 0 && result.stdout === PAGE;
      }, CONVERGE_MS);
    }
  });

  test('a second deploy of a changed file rolls only the changed service; the docker CLI\'s deploy of the same file changes nothing', async () => {
    const webBefore = new Set((await running('demo_web')).map((t) => t.ID));
    const clientBefore = await client(0).cluster.inspectService('demo_client');
    const [clientTask] = await running('demo_client');
    const deployed = await berthAt(labNode(0).socket, ['stack', 'deploy', '-c', join(dir, 'stack2.yaml'), '--detach=false', 'demo']);
    assert.equal(deployed.code, 0, deployed.stderr);
    assert.match(deployed.stdout, /^Service demo_client is up to date$/m);
    assert.match(deployed.stdout, /^Updating service demo_web \(id: /m);
    assert.match(deployed.stderr, /verify: Service demo_web converged/);
    const web = await client(0).cluster.inspectService('demo_web');
    assert.equal(web.UpdateStatus?.State, 'completed');
    await eventually('two web tasks of the new spec run', async () => (await running('demo_web')).filter((t) => !webBefore.has(t.ID)).length === 2, CONVERGE_MS);
    assert.ok((await running('demo_web')).every((t) => t.Spec.ContainerSpec.Env?.includes('ROUND=2')));
    assert.equal((await client(0).cluster.inspectService('demo_client')).Version.Index, clientBefore.Version.Index, 'the client service was not written');
    assert.deepEqual((await running('demo_client')).map((t) => t.ID), [clientTask?.ID], 'the client task runs on');

    if (dockerCliSkip() !== false) return;
    const webAfter = (await running('demo_web')).map((t) => t.ID).sort();
    docker(['stack', 'deploy', '--resolve-image', 'never', '-c', join(dir, 'stack2.yaml'), 'demo']);
    assert.match(await cli(0, ['stack', 'deploy', '-c', join(dir, 'stack2.yaml'), 'demo']), /demo_web is up to date/, 'berth finds the docker CLI\'s specs unchanged');
    assert.deepEqual((await running('demo_web')).map((t) => t.ID).sort(), webAfter, 'no task was replaced');
    assert.deepEqual((await running('demo_client')).map((t) => t.ID), [clientTask?.ID]);
  });

  test('the docker CLI lists berth\'s stack; berth lists the stack the docker CLI deploys from the same file', { skip: dockerCliSkip() }, async () => {
    assert.equal(docker(['stack', 'ls', '--format', '{{.Name}} {{.Services}}']), 'demo 2\n');
    const services = docker(['stack', 'services', '--format', '{{.Name}} {{.Replicas}}', 'demo']).trim().split('\n').sort();
    assert.deepEqual(services, ['demo_client 1/1', 'demo_web 2/2 (max 1 per node)']);
    const tasks = docker(['stack', 'ps', '--filter', 'desired-state=running', '--format', '{{.Name}} {{.CurrentState}}', 'demo']).trim().split('\n').sort();
    assert.deepEqual(tasks.map((t) => t.replace(/ Running .*/, '')), ['demo_client.1', 'demo_web.1', 'demo_web.2']);

    const out = docker(['stack', 'deploy', '--resolve-image', 'never', '-c', join(dir, 'stack.yaml'), 'dk']);
    assert.match(out, /Creating network dk_front/);
    await eventually('the docker CLI\'s stack runs', () => converged('dk'), CONVERGE_MS);
    assert.match(await cli(0, ['stack', 'ls']), /^demo\s+2\n+dk\s+2$/m);
    assert.match(await cli(0, ['stack', 'services', 'dk']), /dk_web\s+replicated\s+2\/2 \(max 1 per node\)\s+busybox:latest/);
    assert.match(await cli(0, ['stack', 'ps', 'dk']), /dk_client\.1\s+busybox:latest/);
    assert.match(await cli(0, ['stack', 'deploy', '-c', join(dir, 'stack.yaml'), 'dk']), /^Service dk_client is up to date\nService dk_web is up to date$/m);
  });

  test('stack rm removes services, networks, secrets and configs, and leaves nothing on any node', async () => {
    if (dockerCliSkip() === false) {
      assert.match(await cli(0, ['stack', 'rm', 'dk']), /Removing service dk_client\nRemoving service dk_web\nRemoving secret dk_token\nRemoving config dk_page\nRemoving network dk_front/);
      assert.match(docker(['stack', 'rm', 'demo']), /Removing network demo_front/);
    } else {
      await cli(0, ['stack', 'rm', 'demo']);
    }
    const manager = client(0);
    const label = { label: [NS] };
    assert.deepEqual(await manager.cluster.listServices(label), []);
    assert.deepEqual(await manager.fileObjects.list('secret', label), []);
    assert.deepEqual(await manager.fileObjects.list('config', label), []);
    const stackNetwork = (name: string): boolean => name.startsWith('demo_') || name.startsWith('dk_');
    await eventually('no task container and no share of the stacks\' networks is left on any node', async () => {
      for (const index of nodes) {
        if ((await client(index).containers.list({ all: true, filters: label })).length > 0) return false;
        if ((await client(index).networks.list()).some((n) => stackNetwork(n.Name))) return false;
      }
      return true;
    }, CONVERGE_MS);
    const gone = await berthAt(labNode(0).socket, ['stack', 'rm', 'demo']);
    assert.match(gone.stderr, /Nothing found in stack: demo/);
  });
});
