// The lab (src/lab/): three berthd nodes, each in its own network namespace on a lab bridge.
// Each answers on its socket; the nodes reach each other and the host reaches them over the
// bridge (and nothing else: no default route); a container runs on a node; `berth lab status`
// and `berth lab down` work from another process; down leaves no namespace, link, process,
// cgroup, mount or directory — also when the lab's berthd processes were killed (a crash).
// Traffic only between namespaces the test made and the host's side of their bridge. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { pingSocket, waitFor } from '../../../src/lab/berthd-launcher.js';
import { berthAt, runBerth } from '../../support/berth-cli.js';
import { labLeftovers, labSkipReason, removeBusyboxTar, TEST_LAB_HOME, TestLab } from '../../support/lab.js';

const runner = new ChildProcessRunner();

/** `busybox ping -c1` to `address`, in namespace `netns` or on the host. */
async function reaches(address: string, netns?: string): Promise<boolean> {
  const ping = ['busybox', 'ping', '-c', '1', '-W', '5', address];
  const [command = '', ...args] = netns === undefined ? ping : ['ip', 'netns', 'exec', netns, ...ping];
  return runner.run(command, args).then(() => true, () => false);
}

describe('berth lab', { skip: labSkipReason() }, () => {
  let lab: TestLab | undefined;
  let crashed: TestLab | undefined;
  before(async () => { lab = await TestLab.start(2, 1); });
  after(async () => {
    await lab?.close();
    await crashed?.close();
    await removeBusyboxTar();
  });

  test('each node is a berthd answering on its own socket, with its own namespace, address and role', async () => {
    assert.ok(lab);
    assert.deepEqual(lab.nodes.map((n) => [n.name.slice(lab?.name.length), n.role, n.state]), [['-m1', 'manager', 'running'], ['-m2', 'manager', 'running'], ['-w1', 'worker', 'running']]);
    assert.equal(new Set(lab.nodes.map((n) => n.address)).size, 3);
    for (const node of lab.nodes) assert.ok(await pingSocket(node.socket), `${node.name} answers /_ping`);
  });

  test('nodes reach each other and the host reaches them; nodes have no route off the bridge', async () => {
    assert.ok(lab);
    const [a, b, c] = [lab.node(0), lab.node(1), lab.node(2)];
    assert.ok(await reaches(b.address, a.netns), `${a.name} → ${b.name}`);
    assert.ok(await reaches(a.address, c.netns), `${c.name} → ${a.name}`);
    for (const node of lab.nodes) assert.ok(await reaches(node.address), `host → ${node.name}`);
    const routes = (await runner.run('ip', ['-n', a.netns, 'route'])).stdout;
    assert.doesNotMatch(routes, /default/);
  });

  test('a container runs on a node, bridge network included; status shows the lab from another process', async () => {
    assert.ok(lab);
    const node = lab.node(2);
    await lab.loadBusybox(node);
    const none = await berthAt(node.socket, ['run', '--rm', '--network', 'none', 'busybox', 'true']);
    assert.equal(none.code, 0, none.stderr);
    // The node's own bridge network lives in its namespace: the host has no such bridge.
    const bridged = await berthAt(node.socket, ['run', '--rm', 'busybox', 'cat', '/etc/resolv.conf']);
    assert.equal(bridged.code, 0, bridged.stderr);
    const running = await berthAt(node.socket, ['run', '-d', 'busybox', 'sleep', '600']);
    assert.equal(running.code, 0, running.stderr);
    const status = await runBerth(['lab', 'status', '--name', lab.name, '--dir', TEST_LAB_HOME, '--format', 'json']);
    assert.equal(status.code, 0, status.stderr);
    const shown = JSON.parse(status.stdout) as { nodes: { name: string; state: string }[] };
    assert.deepEqual(shown.nodes.map((n) => n.state), ['running', 'running', 'running']);
  });

  test('berth lab down removes everything, a running container included', async () => {
    assert.ok(lab);
    const pids = lab.nodes.map((n) => n.pid ?? 0);
    const down = await runBerth(['lab', 'down', '--name', lab.name, '--dir', TEST_LAB_HOME]);
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(await labLeftovers(lab.name, pids), []);
    lab = undefined;
  });

  test('down removes a lab whose berthd processes were killed, its containers running on', async () => {
    crashed = await TestLab.start(1, 0);
    const node = crashed.node(0);
    await crashed.loadBusybox(node);
    const running = await berthAt(node.socket, ['run', '-d', 'busybox', 'sleep', '600']);
    assert.equal(running.code, 0, running.stderr);
    const pid = node.pid ?? 0;
    process.kill(pid, 'SIGKILL');
    assert.ok(await waitFor(async () => (await crashed?.refresh())?.nodes[0]?.state === 'stopped', 20_000), 'berthd is gone');
    await crashed.close();
    assert.deepEqual(await labLeftovers(crashed.name, [pid]), []);
    crashed = undefined;
  });
});
