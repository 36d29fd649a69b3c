// A berthd that stops cleanly takes down the bridges and firewall rules of the networks no running
// container uses (so a state root removed after it leaves nothing on the host), keeps those of
// a network whose container runs on, and brings them all back when it starts again. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { berthAt, berthOk, needsRoot } from '../../support/berth-cli.js';
import { BerthdProcess } from '../../support/berthd-process.js';
import { removeStaleBridges, sweepLeftovers, testCgroupName } from '../runtime/runtime-fixtures.js';

/** Lines of the host's links and firewall rules that name `bridge`. */
function hostTraces(bridge: string): string[] {
  const lines = (command: string, args: string[]): string[] => {
    try {
      return execFileSync(command, args, { encoding: 'utf8' }).split('\n');
    } catch {
      return [];
    }
  };
  return [...lines('ip', ['-o', 'link', 'show']), ...lines('iptables-save', []), ...lines('iptables-save', ['-t', 'nat'])].filter((line) => line.includes(bridge));
}

describe('berthd stop and the host side of networks', { skip: needsRoot() }, () => {
  let work: string;
  let root: string;
  let daemon: BerthdProcess | undefined;
  const start = async (): Promise<BerthdProcess> => BerthdProcess.start(root, join(work, 'berth.sock'), ['--cgroup-parent', `/${testCgroupName()}`]);
  const cli = async (args: string[]): Promise<string> => {
    const result = await berthAt(join(work, 'berth.sock'), args);
    assert.equal(result.code, 0, `berth ${args.join(' ')}: ${result.stderr}`);
    return result.stdout.trim();
  };
  const bridgeOf = async (network: string): Promise<string> => {
    const [inspected] = JSON.parse(await cli(['network', 'inspect', network])) as { Id: string }[];
    return `bn-${(inspected?.Id ?? '').slice(0, 12)}`;
  };

  before(async () => {
    await sweepLeftovers();
    work = await mkdtemp(join(tmpdir(), 'berth-daemon-stop-'));
    root = join(work, 'root');
    await berthOk(root, ['image', 'bootstrap', 'busybox']);
  });
  after(async () => {
    try {
      if (daemon !== undefined) {
        await berthAt(daemon.socketPath, ['rm', '-f', 'keeper']);
        await daemon.stop();
      }
      await sweepLeftovers();
    } finally {
      await rm(work, { recursive: true, force: true });
      await removeStaleBridges();
    }
  });

  test('idle networks go with the daemon and come back with it; a used one stays', async () => {
    daemon = await start();
    await cli(['network', 'create', 'idle']);
    await cli(['network', 'create', 'busy']);
    await cli(['run', '-d', '--name', 'keeper', '--network', 'busy', 'busybox', 'sleep', '600']);
    const [idle, busy] = [await bridgeOf('idle'), await bridgeOf('busy')];
    assert.ok(hostTraces(idle).length > 0, 'the idle network is up while berthd runs');
    assert.equal(await daemon.stop(), 0);
    daemon = undefined;
    assert.deepEqual(hostTraces(idle), [], 'no bridge or rule of the idle network after a clean stop');
    assert.ok(hostTraces(busy).some((line) => line.includes('link/ether') || / bn-/.test(line)), 'the running container keeps its network');

    daemon = await start();
    assert.ok(hostTraces(idle).length > 0, 'the idle network is back');
    assert.equal(await cli(['run', '--rm', '--network', 'idle', 'busybox', 'sh', '-c', 'ip -o -4 addr show eth0 | wc -l']), '1');
  });
});
