// The Swarm routes of a node in no cluster and `GET /info`, with dockerd's answers as the expected
// ones: raw HTTP, dockerode, the Python SDK and both docker CLIs against berthd and a private
// dockerd. Needs root, runc, conmon, docker.io and python3-docker.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus, hostname, release, totalmem } from 'node:os';
import { http, NEWER_DOCKER_CLI, python, SideBySide, sideBySideSkip } from '../support/side-by-side.js';

const NOT_A_MANAGER = 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';

/** Requests dockerd answers before (or instead of) forming a swarm; init and join are left out on purpose. */
const SWARM_REQUESTS: [string, string][] = [
  ['GET', '/swarm'], ['GET', '/v1.41/swarm'], ['GET', '/swarm/unlockkey'], ['POST', '/swarm/unlock'], ['POST', '/swarm/leave'],
  ['POST', '/swarm/update?version=1'], ['POST', '/swarm/update'],
  ['GET', '/nodes'], ['GET', '/v1.24/nodes'], ['GET', '/nodes/n1'], ['DELETE', '/nodes/n1'], ['POST', '/nodes/n1/update?version=3'], ['POST', '/nodes/n1/update'],
  ['GET', '/services'], ['GET', '/v1.41/services'], ['POST', '/services/create'], ['GET', '/services/s1'], ['DELETE', '/services/s1'],
  ['POST', '/services/s1/update?version=2'], ['POST', '/services/s1/update'], ['GET', '/services/s1/logs?stdout=1'],
  ['GET', '/tasks'], ['GET', '/tasks/t1'], ['GET', '/tasks/t1/logs?stderr=1'],
  ['GET', '/secrets'], ['POST', '/secrets/create'], ['GET', '/secrets/x'], ['DELETE', '/secrets/x'], ['POST', '/secrets/x/update'],
  ['GET', '/configs'], ['POST', '/configs/create'], ['GET', '/configs/x'], ['DELETE', '/configs/x'], ['POST', '/configs/x/update?version=1'],
];

/** The objects of /info whose keys the SDKs read. */
const NESTED = ['Swarm', 'RegistryConfig', 'Plugins', 'ContainerdCommit', 'RuncCommit', 'InitCommit'];

describe('Swarm routes and /info as dockerd answers them', { skip: sideBySideSkip() }, () => {
  let pair: SideBySide;

  before(async () => { pair = await SideBySide.start('berth-e2e-swarm-info-'); });
  after(async () => { await pair.close(); });

  test('every Swarm route answers with dockerd\'s status and message (raw HTTP)', async () => {
    const [dockerd, berthd] = pair.daemons;
    for (const [method, path] of SWARM_REQUESTS) {
      const body = method === 'POST' ? '{}' : undefined;
      const headers: Record<string, string> = body === undefined ? {} : { 'Content-Type': 'application/json' };
      const expected = await http(dockerd.socketPath, method, path, body, headers);
      const actual = await http(berthd.socketPath, method, path, body, headers);
      assert.equal(actual.status, expected.status, `${method} ${path}: ${actual.body}`);
      assert.deepEqual(JSON.parse(actual.body), JSON.parse(expected.body), `${method} ${path}`);
    }
    const listed = await http(berthd.socketPath, 'GET', '/services');
    assert.equal(listed.status, 503);
    assert.deepEqual(JSON.parse(listed.body), { message: NOT_A_MANAGER });
  });

  test('dockerode, the Python SDK and both docker CLIs see the same refusal', async () => {
    const refusals: string[] = [];
    for (const daemon of pair.daemons) {
      const failure = await daemon.client.listServices().then(() => undefined, (err: unknown) => err as { statusCode?: number; json?: { message?: string } });
      assert.equal(failure?.statusCode, 503, daemon.name);
      assert.equal(failure.json?.message, NOT_A_MANAGER, daemon.name);
      const sdk = python(daemon.socketPath, [
        'try:',
        '    client.nodes.list()',
        'except docker.errors.APIError as e:',
        '    print(json.dumps([e.status_code, e.explanation]))',
      ].join('\n'));
      assert.equal(sdk.code, 0, sdk.err);
      assert.deepEqual(JSON.parse(sdk.out), [503, NOT_A_MANAGER], daemon.name);
      for (const cli of ['/usr/bin/docker', ...(existsSync(NEWER_DOCKER_CLI) ? [NEWER_DOCKER_CLI] : [])]) {
        const nodes = daemon.docker(['node', 'ls'], { cli });
        assert.notEqual(nodes.code, 0);
        refusals.push(`${cli}: ${nodes.err.trim()}`);
        const state = daemon.docker(['info', '--format', '{{.Swarm.LocalNodeState}}'], { cli });
        assert.equal(state.code, 0, state.err);
        assert.equal(state.out.trim(), 'inactive', `${daemon.name} ${cli}`);
      }
    }
    const half = refusals.length / 2;
    assert.deepEqual(refusals.slice(half), refusals.slice(0, half), 'the CLIs print the same error for both daemons');
  });

  test('/info has every key of dockerd\'s, nested ones too, with this machine\'s values', async () => {
    const [dockerd, berthd] = pair.daemons;
    const expected = await dockerd.client.info() as Record<string, unknown>;
    const actual = await berthd.client.info() as Record<string, unknown>;
    const missing = Object.keys(expected).filter((key) => !(key in actual));
    assert.deepEqual(missing, [], 'top-level keys of dockerd\'s /info that berth lacks');
    for (const key of NESTED) {
      const inner = expected[key] as Record<string, unknown>;
      const mine = actual[key] as Record<string, unknown>;
      assert.deepEqual(Object.keys(inner).filter((k) => !(k in mine)), [], `${key}: nested keys berth lacks`);
    }
    // The same machine: what both read from it agrees.
    for (const key of ['NCPU', 'MemTotal', 'KernelVersion', 'OperatingSystem', 'OSVersion', 'OSType', 'Architecture', 'Name', 'CgroupDriver', 'CgroupVersion',
      'IPv4Forwarding', 'BridgeNfIptables', 'BridgeNfIp6tables', 'MemoryLimit', 'SwapLimit', 'CpuCfsPeriod', 'CpuCfsQuota', 'CPUShares', 'CPUSet', 'PidsLimit', 'Debug', 'ExperimentalBuild']) {
      assert.deepEqual(actual[key], expected[key], key);
    }
    assert.equal(actual.NCPU, cpus().length);
    assert.equal(actual.MemTotal, totalmem());
    assert.equal(actual.KernelVersion, release());
    assert.equal(actual.Name, hostname());
    const prettyName = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(await readFile('/etc/os-release', 'utf8'))?.[1];
    assert.equal(actual.OperatingSystem, prettyName);
    assert.deepEqual((actual.Swarm as Record<string, unknown>).LocalNodeState, 'inactive');
    assert.equal(actual.DockerRootDir, pair.berth.root);
    assert.ok(Array.isArray(actual.SecurityOptions) && (actual.SecurityOptions as string[]).some((o) => o.startsWith('name=seccomp')));
    const sdk = python(berthd.socketPath, 'info = client.info()\nprint(json.dumps([info["Swarm"]["LocalNodeState"], info["RegistryConfig"]["IndexConfigs"]["docker.io"]["Secure"], info["Plugins"]["Volume"]]))');
    assert.equal(sdk.code, 0, sdk.err);
    assert.deepEqual(JSON.parse(sdk.out), ['inactive', true, ['local']]);
  });
});
