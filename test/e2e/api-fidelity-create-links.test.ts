// Legacy links (HostConfig.Links) as dockerd takes them, berthd beside a private dockerd on a bridge
// this test makes (links need the default bridge): the variables and /etc/hosts lines a link gives,
// inspect's Links, `rm --link` (also for exec processes and the hosts file of a running container),
// and dockerd's answers for links it refuses: unknown containers, host and container: networking,
// linked containers that do not run or are not on the default bridge; on a user network links are
// dropped. Needs root, runc, conmon, dockerd.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Docker from 'dockerode';
import { PrivateDockerd } from '../support/private-dockerd.js';
import { SideBySide, sideBySideSkip } from '../support/side-by-side.js';
import { api, create, execOut, inspect, removeAll, start, type Target } from '../support/create-fields.js';

/** A /24 no route of this host uses yet, for the test's bridge. */
function freeSubnet(): string {
  const routes = execFileSync('ip', ['-4', 'route'], { encoding: 'utf8' });
  for (let third = 100 + (process.pid % 100); third < 250; third++) if (!routes.includes(`172.31.${third}.`)) return `172.31.${third}`;
  throw new Error('no free 172.31.x.0/24');
}

interface Seen {
  env: string[];
  hosts: string[];
  execEnv: string[];
  links: unknown;
}

describe('legacy links as dockerd takes them, berthd beside dockerd on a bridge', { skip: sideBySideSkip() }, () => {
  let pair: SideBySide;
  let bridged: PrivateDockerd | undefined;
  const bridge = `bl${randomBytes(3).toString('hex')}`;
  let targets: [Target, Target];
  before(async () => {
    pair = await SideBySide.start('berth-e2e-links-');
    execFileSync('sh', ['-c', `ip link add ${bridge} type bridge && ip addr add ${freeSubnet()}.1/24 dev ${bridge} && ip link set ${bridge} up`]);
    bridged = await PrivateDockerd.start({ bridge });
    await bridged.docker(['load', '-i', join(pair.berth.work, 'busybox.tar')]);
    const dockerd = { name: 'dockerd', socketPath: bridged.socketPath, client: new Docker({ socketPath: bridged.socketPath }) };
    targets = [dockerd, pair.daemon('berthd')];
  });
  after(async () => {
    try {
      for (const target of targets) {
        await removeAll(target);
        await api(target, 'DELETE', '/networks/links-user');
      }
      await bridged?.stop();
    } finally {
      execFileSync('ip', ['link', 'del', bridge], { stdio: 'ignore' });
      await pair.close();
    }
  });
  const onBoth = async <T>(scenario: (target: Target) => Promise<T>): Promise<[T, T]> => [await scenario(targets[0]), await scenario(targets[1])];

  /** What the running container `cli` sees of its links, with addresses and ids replaced by names. */
  async function seen(target: Target, ids: { web: string; cli: string }): Promise<Seen> {
    const web = await inspect(target, ids.web);
    const cli = await inspect(target, ids.cli);
    const ipOf = (view: Record<string, unknown>) => (view.NetworkSettings as { IPAddress?: string } | undefined)?.IPAddress ?? '';
    const swaps: [string, string][] = [[ipOf(web), 'WEB_IP'], [ipOf(cli), 'CLI_IP'], [ids.web.slice(0, 12), 'WEB_ID'], [ids.cli.slice(0, 12), 'CLI_ID']];
    const normal = (text: string) => swaps.reduce((t, [from, to]) => (from === '' ? t : t.split(from).join(to)), text);
    const lines = (text: string) => normal(text).split(/[\n\0]/).filter((l) => l !== '').sort();
    const pid = Number(cli.State?.Pid);
    return {
      env: lines(await readFile(`/proc/${pid}/environ`, 'utf8')),
      hosts: lines(await execOut(target, ids.cli, ['cat', '/etc/hosts'])),
      execEnv: lines(await execOut(target, ids.cli, ['env'])),
      // dockerd lists a container's links from a Go map: their order is not part of the answer.
      links: (cli.HostConfig as { Links?: string[] | null } | undefined)?.Links?.slice().sort(),
    };
  }

  test('variables, hosts lines and inspect of links; rm --link removes one from inspect, hosts and exec', async () => {
    const [dockerd, berth] = await onBoth(async (target) => {
      const web = await create(target, {
        Image: 'busybox', Cmd: ['sleep', '3600'], Env: ['FOO=bar', 'EMPTY=', 'A_B=c d'],
        ExposedPorts: { '80/tcp': {}, '53/udp': {}, '8000/tcp': {}, '8001/tcp': {}, '8002/udp': {} },
      }, 'web');
      await start(target, web);
      const cli = await create(target, { Image: 'busybox', Cmd: ['sleep', '3600'], Env: ['DB_NAME=mine'], HostConfig: { Links: ['web:db', 'web'] } }, 'cli');
      await start(target, cli);
      const before = await seen(target, { web, cli });
      const removed = await api(target, 'DELETE', '/containers/cli/db?link=1');
      const again = await api(target, 'DELETE', '/containers/cli/db?link=1');
      const unlinked = await seen(target, { web, cli });
      const defaultName = await api(target, 'DELETE', '/containers/cli?link=1');
      return { before, removed: removed.status, again: [again.status, again.message], unlinked, defaultName: defaultName.message };
    });
    assert.deepEqual(berth, dockerd);
    assert.ok(dockerd.before.env.includes('DB_PORT=udp://WEB_IP:53') && dockerd.before.env.includes('WEB_ENV_A_B=c d'), dockerd.before.env.join('\n'));
    assert.ok(dockerd.before.env.includes('DB_NAME=mine') && dockerd.before.env.includes('WEB_PORT_8000_TCP_START=tcp://WEB_IP:8000'));
    assert.ok(dockerd.before.hosts.includes('WEB_IP\tdb WEB_ID web') && dockerd.before.hosts.includes('WEB_IP\tweb WEB_ID'));
    assert.deepEqual(dockerd.before.links, ['/web:/cli/db', '/web:/cli/web']);
    assert.deepEqual(dockerd.unlinked.links, ['/web:/cli/web']);
    assert.ok(!dockerd.unlinked.hosts.some((l) => l.includes('\tdb ')) && !dockerd.unlinked.execEnv.some((l) => l.startsWith('DB_PORT')));
  });

  test('the docker CLI removes a link with rm --link', async () => {
    const [dockerd, berth] = await onBoth(async (target) => {
      const cli = await create(target, { Image: 'busybox', Cmd: ['sleep', '3600'], HostConfig: { Links: ['web:cache'] } }, 'cli-rm');
      const cliRun = target.name === 'dockerd'
        ? await bridged?.docker(['rm', '--link', 'cli-rm/cache']).then((r) => r.stdout, (err: unknown) => String(err))
        : pair.daemon('berthd').docker(['rm', '--link', 'cli-rm/cache']).out;
      return { cliRun, links: (await inspect(target, cli)).HostConfig?.Links };
    });
    assert.deepEqual(berth, dockerd);
    assert.deepEqual(dockerd, { cliRun: 'cli-rm/cache\n', links: null });
  });

  test("dockerd's answers for links it refuses at create and at start", async () => {
    const [dockerd, berth] = await onBoth(async (target) => {
      const refusals: Record<string, [number, string]> = {};
      const refused = async (key: string, body: Record<string, unknown>) => {
        const answer = await api(target, 'POST', '/containers/create', { Image: 'busybox', ...body });
        refusals[key] = [answer.status, answer.message.replace(/^HostConfig\.Links\[0\]: /, '')];
      };
      await refused('unknown', { HostConfig: { Links: ['nosuch:x'] } });
      await refused('host', { HostConfig: { NetworkMode: 'host', Links: ['web:w'] } });
      await refused('container', { HostConfig: { NetworkMode: 'container:web', Links: ['web:w'] } });
      await refused('format', { HostConfig: { Links: ['a:b:c'] } });
      const startFails = async (key: string, links: string[]) => {
        const id = await create(target, { Image: 'busybox', Cmd: ['true'], HostConfig: { Links: links } }, `${key}-parent`);
        refusals[key] = [0, (await api(target, 'POST', `/containers/${id}/start`)).message];
      };
      await create(target, { Image: 'busybox', Cmd: ['true'] }, 'stopped');
      await startFails('stopped', ['stopped:s']);
      const network = await api(target, 'POST', '/networks/create', { Name: 'links-user' });
      assert.equal(network.status, 201, network.message);
      await start(target, await create(target, { Image: 'busybox', Cmd: ['sleep', '3600'], HostConfig: { NetworkMode: 'links-user' } }, 'elsewhere'));
      await startFails('elsewhere', ['elsewhere:e']);
      const onUser = await create(target, { Image: 'busybox', Cmd: ['sleep', '3600'], HostConfig: { NetworkMode: 'links-user', Links: ['nosuch:n'] } });
      const userLinks = (await inspect(target, onUser)).HostConfig?.Links;
      return { refusals, userLinks };
    });
    // Where dockerd answers 500 (a malformed link) berthd answers 400.
    assert.deepEqual({ ...berth, refusals: { ...berth.refusals, format: [500, berth.refusals.format?.[1]] } }, dockerd);
    assert.deepEqual(dockerd.refusals, {
      unknown: [400, 'could not get container for nosuch: No such container: nosuch'],
      host: [400, "conflicting options: host type networking can't be used with links. This would result in undefined behavior"],
      container: [400, "conflicting options: container type network can't be used with links. This would result in undefined behavior"],
      format: [500, 'bad format for links: a:b:c'],
      stopped: [0, 'Cannot link to a non running container: /stopped AS /stopped-parent/s'],
      elsewhere: [0, 'Cannot link to /elsewhere, as it does not belong to the default network'],
    });
    assert.equal(dockerd.userLinks, null);
  });
});
