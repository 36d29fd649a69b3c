// The routing mesh on the lab: one manager (node A) and two workers (B and C), each a berthd in its
// own network namespace. A service publishes a port through the mesh: every node answers on it,
// also a node without tasks, by forwarding over the ingress network to a task. Requests go from
// this host to the lab nodes' addresses on the lab bridge only. Needs root.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { berthAt } from '../../support/berth-cli.js';
import { DOCKER_CLI, dockerCliSkip } from '../../support/docker-cli-session.js';
import { labSkipReason } from '../../support/lab.js';
import { labSuite } from '../../support/lab-session.js';
import { eventually } from './etcd-fixtures.js';

const runner = new ChildProcessRunner();
/** Placement and starts take seconds; this bound only ends a run that is stuck. */
const CONVERGE_MS = 90_000;
/** Each web task answers with its container's hostname (its short id), and /cgi-bin/addr with the client's address as it sees it. */
const WEB = ['sh', '-c', [
  'mkdir -p /www/cgi-bin && hostname > /www/index.html',
  'printf \'%s\\n\' \'#!/bin/sh\' \'printf "Content-Type: text/plain\\r\\n\\r\\n"\' \'echo $REMOTE_ADDR\' > /www/cgi-bin/addr && chmod +x /www/cgi-bin/addr',
  'exec httpd -f -p 80 -h /www',
].join(' && ')];
const ANY_CODE = { okCodes: Array.from({ length: 256 }, (_, code) => code) };

/** One GET on a new connection: the body, or `FAILED: …`. */
function get(address: string, port: number, path = '/'): Promise<string> {
  return new Promise((resolve) => {
    const req = request({ host: address, port, path, agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => { resolve(body.trim()); });
    });
    req.on('timeout', () => { req.destroy(new Error('timed out')); });
    req.on('error', (err) => { resolve(`FAILED: ${err.message}`); });
    req.end();
  });
}

/** busybox httpd's REMOTE_ADDR (`[::ffff:10.0.0.5]`) as a plain IPv4 address. */
const clientAddress = (text: string): string => text.replace(/^\[(::ffff:)?/, '').replace(/\]$/, '');

describe('the routing mesh on the lab', { skip: labSkipReason() }, () => {
  const { node: labNode, client, cli, running, current } = labSuite(1, 2);
  const addresses = (): string[] => [0, 1, 2].map((i) => labNode(i).address);
  /** The nftables tables of a lab node's namespace that are the mesh's. */
  const meshTables = async (index: number): Promise<string[]> => {
    const listed = await runner.run('nsenter', [`--net=/run/netns/${labNode(index).netns}`, 'nft', 'list', 'tables'], ANY_CODE);
    return listed.stdout.split('\n').filter((l) => /berth-mesh-/.test(l));
  };


  test('a port published by a one-task service on B answers on every node, A and C included (A drops forwarding by policy, as dockerd leaves hosts); inspect shows it as dockerd does', async () => {
    await runner.run('nsenter', [`--net=/run/netns/${labNode(0).netns}`, 'iptables', '-w', '-P', 'FORWARD', 'DROP']);
    await cli(0, ['service', 'create', '--name', 'web', '-p', '8080:80', '--constraint', `node.hostname==${labNode(1).name}`, '--detach', 'busybox', ...WEB]);
    await eventually('the web task running', async () => (await running('web')).length === 1, CONVERGE_MS);
    const [task] = await running('web');
    const hostname = (task?.Status.ContainerStatus?.ContainerID ?? '').slice(0, 12);
    // Each node learns of the running task with its assignments: poll until all three forward.
    await eventually('every node forwards 8080 to the task', async () => {
      const answers = await Promise.all(addresses().map((a) => get(a, 8080)));
      return answers.every((a) => a === hostname);
    }, CONVERGE_MS);

    const web = await client(0).cluster.inspectService('web');
    assert.deepEqual(web.Spec.EndpointSpec.Ports, [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' }]);
    assert.deepEqual(web.Endpoint.Ports, [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' }]);
    assert.equal(web.Spec.TaskTemplate.Networks, undefined, 'the ingress network is not shown as the user\'s');
    const ingress = await client(0).networks.inspect('ingress');
    assert.equal(ingress.Driver, 'overlay');
    assert.equal(ingress.IPAM.Config[0]?.Subnet, '10.0.0.0/24');
    assert.ok(task?.NetworksAttachments?.some((a) => a.Network.ID === ingress.Id), 'the task is on the ingress network');
  });

  test('scaled to three, connections through node A reach every task; a port in use is refused naming its service; a port left out is picked from 30000', async () => {
    await cli(0, ['service', 'scale', 'web=3', '--detach']);
    await eventually('3 web tasks running', async () => (await running('web')).length === 3, CONVERGE_MS);
    const ids = (await running('web')).map((t) => (t.Status.ContainerStatus?.ContainerID ?? '').slice(0, 12)).sort();
    const seen = new Set<string>();
    await eventually('node A spreads connections over all three tasks', async () => {
      for (let i = 0; i < 6; i++) seen.add(await get(labNode(0).address, 8080));
      return ids.every((id) => seen.has(id));
    }, CONVERGE_MS);
    assert.deepEqual([...seen].filter((a) => !ids.includes(a)), [], 'only the tasks answered');

    const clash = await berthAt(labNode(0).socket, ['service', 'create', '--name', 'other', '-p', '8080:80', '--detach', 'busybox', ...WEB]);
    assert.notEqual(clash.code, 0);
    assert.match(clash.stderr, /port 8080\/tcp is already published by service web/);
    assert.equal((await client(0).cluster.listServices()).some((s) => s.Spec.Name === 'other'), false, 'nothing half-made');

    await cli(0, ['service', 'create', '--name', 'picked', '-p', '80', '--detach', 'busybox', ...WEB]);
    const picked = await client(0).cluster.inspectService('picked');
    assert.equal(picked.Endpoint.Ports?.[0]?.PublishedPort, 30000);
    assert.equal(picked.Spec.EndpointSpec.Ports?.[0]?.PublishedPort, undefined, 'the spec keeps the port as given');
    await eventually('picked answers on 30000 through node C', async () => /^[0-9a-f]{12}$/.test(await get(labNode(2).address, 30000)), CONVERGE_MS);
  });

  test('through the mesh a task sees the address of the node that forwarded; a global service published in host mode answers on each node from its own task and sees the client\'s address', async () => {
    const ingress = await client(0).networks.inspect('ingress');
    const seenViaMesh = clientAddress(await get(labNode(0).address, 8080, '/cgi-bin/addr'));
    assert.ok(ingress.IPAM.Config[0]?.Subnet === '10.0.0.0/24' && /^10\.0\.0\.\d+$/.test(seenViaMesh), `via the mesh the task sees an ingress address, not ${seenViaMesh}`);

    await cli(0, ['service', 'create', '--name', 'edge', '--mode', 'global', '-p', 'published=8082,target=80,mode=host', '--detach', 'busybox', ...WEB]);
    await eventually('an edge task on each node', async () => (await running('edge')).length === 3, CONVERGE_MS);
    const hostAddress = current()?.status.hostAddress ?? '';
    for (let index = 0; index < 3; index++) {
      const local = (await client(index).containers.list({ filters: { label: ['com.docker.swarm.service.name=edge'] } }))[0]?.Id.slice(0, 12);
      assert.equal(await get(labNode(index).address, 8082), local, `node ${String(index)} answers from its own task`);
      assert.equal(clientAddress(await get(labNode(index).address, 8082, '/cgi-bin/addr')), hostAddress, 'the client\'s own address');
    }
    const edge = await client(0).cluster.inspectService('edge');
    assert.deepEqual(edge.Endpoint.Ports, [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8082, PublishMode: 'host' }]);
  });

  test('a plain container cannot publish a port the mesh holds on its node', async () => {
    const plain = await berthAt(labNode(2).socket, ['run', '-d', '--name', 'plain', '-p', '8080:80', 'busybox', 'sleep', '1000']);
    assert.notEqual(plain.code, 0);
    assert.match(plain.stderr, /port 8080\/tcp is published by the cluster's routing mesh/);
  });

  test('the docker CLI publishes a port through the mesh', { skip: dockerCliSkip() }, async () => {
    const env = { ...process.env, DOCKER_HOST: `unix://${labNode(0).socket}` };
    await runner.run(DOCKER_CLI, ['service', 'create', '--name', 'dweb', '--publish', 'published=8081,target=80', '--detach', 'busybox', ...WEB], { env });
    await eventually('dweb answers on 8081 through node B', async () => /^[0-9a-f]{12}$/.test(await get(labNode(1).address, 8081)), CONVERGE_MS);
    const inspected = await runner.run(DOCKER_CLI, ['service', 'inspect', '--format', '{{json .Endpoint.Ports}}', 'dweb'], { env });
    assert.deepEqual(JSON.parse(inspected.stdout), [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8081, PublishMode: 'ingress' }]);
  });

  test('service update --publish-add publishes one more port; --publish-rm by target port stops publishing, and the port is free for another service', async () => {
    await cli(0, ['service', 'update', '--publish-add', '8090:80', '--detach', 'web']);
    await eventually('web answers on 8090 through node C', async () => /^[0-9a-f]{12}$/.test(await get(labNode(2).address, 8090)), CONVERGE_MS);
    assert.deepEqual((await client(0).cluster.inspectService('web')).Endpoint.Ports?.map((p) => p.PublishedPort), [8080, 8090]);
    await cli(0, ['service', 'update', '--publish-rm', '80', '--detach', 'web']);
    await eventually('8080 and 8090 are refused on node A', async () => /^FAILED/.test(await get(labNode(0).address, 8080)) && /^FAILED/.test(await get(labNode(0).address, 8090)), CONVERGE_MS);
    assert.equal((await client(0).cluster.inspectService('web')).Endpoint.Ports, undefined);
    await cli(0, ['service', 'create', '--name', 'other', '-p', '8080:80', '--detach', 'busybox', ...WEB]);
    await eventually('other answers on 8080', async () => /^[0-9a-f]{12}$/.test(await get(labNode(0).address, 8080)), CONVERGE_MS);
  });

  test('once the services are gone, no node forwards and no mesh table is left', async () => {
    for (const name of ['web', 'picked', 'dweb', 'edge', 'other']) await berthAt(labNode(0).socket, ['service', 'rm', name]);
    await eventually('every node removed its mesh table', async () => {
      for (let index = 0; index < 3; index++) if ((await meshTables(index)).length > 0) return false;
      return true;
    }, CONVERGE_MS);
    assert.match(await get(labNode(0).address, 8080), /^FAILED/);
  });
});
