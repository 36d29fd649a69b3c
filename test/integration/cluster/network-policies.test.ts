// Network policies on the lab: one manager (node A) and two workers (B and C), each a berthd in
// its own network namespace. A 2-replica web service runs on the workers; two client tasks (api
// and other) on A reach it by name over an overlay network until a policy guards web: then only
// what a rule allows gets in, and each refused connection is counted per policy on the node that
// refused it. Traffic only between the lab's namespaces and containers. Needs root.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { berthAt } from '../../support/berth-cli.js';
import { labSkipReason } from '../../support/lab.js';
import { labSuite } from '../../support/lab-session.js';
import { http } from '../../support/side-by-side.js';
import { eventually } from './etcd-fixtures.js';

const runner = new ChildProcessRunner();
/** Placement, starts and each node learning of a policy take seconds; this bound only ends a run that is stuck. */
const CONVERGE_MS = 90_000;
const WEB = ['sh', '-c', 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www'];
const ANY_CODE = { okCodes: Array.from({ length: 256 }, (_, code) => code) };

describe('network policies on the lab', { skip: labSkipReason() }, () => {
  const { node: labNode, client, cli, running } = labSuite(1, 2);
  /** Whether `service`'s client task on node A gets an answer from web by name. */
  const reaches = async (service: string): Promise<boolean> => {
    const [container] = await client(0).containers.list({ filters: { label: [`com.docker.swarm.service.name=${service}`] } });
    assert.ok(container, `a ${service} container on node A`);
    const result = await berthAt(labNode(0).socket, ['exec', container.Id, 'sh', '-c', 'timeout 3 wget -qO- http://web/ || echo FAILED']);
    return /^[0-9a-f]{12}$/.test(result.stdout.trim());
  };
  /** The policy tables in the namespaces of web's containers. */
  const policyTables = async (): Promise<string[]> => {
    const tables: string[] = [];
    for (const index of [1, 2]) {
      for (const c of await client(index).containers.list({ filters: { label: ['com.docker.swarm.service.name=web'] } })) {
        const pid = (await client(index).containers.inspect(c.Id)).State.Pid;
        const listed = await runner.run('nsenter', ['-t', String(pid), '-n', 'nft', 'list', 'tables'], ANY_CODE);
        tables.push(...listed.stdout.split('\n').filter((l) => /berth-pol-/.test(l)));
      }
    }
    return tables;
  };
  /** berth_network_policy_denied_connections{policy} summed over the workers. */
  const denied = async (policy: string): Promise<number> => {
    let sum = 0;
    for (const index of [1, 2]) {
      const line = (await http(labNode(index).socket, 'GET', '/metrics')).body.split('\n').find((l) => l.startsWith(`berth_network_policy_denied_connections{policy="${policy}"}`));
      sum += Number(line?.split(' ')[1] ?? 0);
    }
    return sum;
  };

  before(async () => {
    await cli(0, ['network', 'create', '-d', 'overlay', '--subnet', '10.0.7.0/24', 'polnet']);
    await cli(0, ['service', 'create', '--name', 'web', '--replicas', '2', '--network', 'polnet', '--constraint', 'node.role==worker', '--detach', 'busybox', ...WEB]);
    for (const name of ['api', 'other']) await cli(0, ['service', 'create', '--name', name, '--network', 'polnet', '--constraint', 'node.role==manager', '--detach', 'busybox', 'sleep', '100000']);
    await eventually('web, api and other running', async () => (await running('web')).length === 2 && (await running('api')).length === 1 && (await running('other')).length === 1, CONVERGE_MS);
  });

  test('without a policy every client reaches web; a policy naming an unknown service, a name in use and a bad name are refused', async () => {
    await eventually('api and other reach web', async () => (await reaches('api')) && (await reaches('other')), CONVERGE_MS);
    const unknown = await berthAt(labNode(0).socket, ['network', 'policy', 'create', 'lost', '--target', 'web', '--from', 'nosuch']);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /network policy lost: service nosuch not found/);
    const bad = await berthAt(labNode(0).socket, ['network', 'policy', 'create', 'Bad_Name', '--target', 'web']);
    assert.match(bad.stderr, /field name: a policy name is 1–63 lowercase letters/);
    const onWorker = await berthAt(labNode(1).socket, ['network', 'policy', 'ls']);
    assert.match(onWorker.stderr, /not a swarm manager/);
    assert.equal((await client(0).networkPolicies.list()).length, 0, 'nothing half-made');
  });

  test('a policy guarding web admits api on port 80 and denies other, counting each refused connection; a second policy admits other', async () => {
    await cli(0, ['network', 'policy', 'create', 'web-in', '--target', 'web', '--from', 'api', '--port', '80']);
    const again = await berthAt(labNode(0).socket, ['network', 'policy', 'create', 'web-in', '--target', 'web']);
    assert.match(again.stderr, /network policy web-in already exists/);
    await eventually('other is denied', async () => !(await reaches('other')), CONVERGE_MS);
    assert.equal(await reaches('api'), true, 'api is allowed');
    assert.ok(await denied('web-in') > 0, 'the refused connections are counted for web-in');

    await cli(0, ['network', 'policy', 'create', 'web-other', '--target', 'web', '--from', 'other']);
    await eventually('other is admitted', async () => reaches('other'), CONVERGE_MS);
    assert.equal(await reaches('api'), true);
    const listed = await cli(0, ['network', 'policy', 'ls']);
    assert.match(listed, /web-in\s+web\s+1/);
    assert.match(listed, /web-other\s+web\s+1/);
    const [inspected] = JSON.parse(await cli(0, ['network', 'policy', 'inspect', 'web-in'])) as { Spec: unknown }[];
    assert.deepEqual(inspected?.Spec, { name: 'web-in', labels: {}, target: { service: 'web' }, ingress: [{ from: [{ service: 'api' }], ports: [{ protocol: 'tcp', port: 80 }] }] });
  });

  test('removing the policies opens web again and leaves no policy table in its containers', async () => {
    assert.ok((await policyTables()).length > 0, 'guarded containers have their tables');
    await cli(0, ['network', 'policy', 'rm', 'web-in', 'web-other']);
    await eventually('no policy table left', async () => (await policyTables()).length === 0, CONVERGE_MS);
    assert.equal(await reaches('other'), true);
    assert.equal(await reaches('api'), true);
  });
});
