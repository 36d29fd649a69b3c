// docker cp (the archive routes) sees the container as its processes do: through its volumes,
// bind mounts and the files berth mounts (/etc/hostname, /etc/hosts), running or stopped, as a
// private dockerd answers the same dockerode calls. Needs root, runc, conmon and dockerd.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { makeTar } from '../support/oci-fixtures.js';
import { readTarEntries } from '../support/tar-entries.js';
import { SideBySide, sideBySideSkip, type Daemon } from '../support/side-by-side.js';

/** The regular files of a tar stream, by entry name. */
async function filesOf(stream: Readable): Promise<Record<string, string>> {
  const entries = await readTarEntries(stream);
  return Object.fromEntries(entries.filter(({ header }) => header.type === 'file').map(({ header, data }) => [header.name, data.toString()]));
}

describe('archive routes through mounts, berthd beside dockerd', { skip: sideBySideSkip() }, () => {
  let pair: SideBySide;
  let work: string;
  before(async () => {
    pair = await SideBySide.start('berth-e2e-archive-');
    work = await mkdtemp(join(tmpdir(), 'berth-archive-binds-'));
  });
  after(async () => {
    await pair.close(async () => {
      for (const { client } of pair.daemons) {
        for (const c of await client.listContainers({ all: true })) await client.getContainer(c.Id).remove({ force: true, v: true });
        await client.getVolume('archive-data').remove().catch(() => undefined);
      }
    });
    await rm(work, { recursive: true, force: true });
  });

  /** What `cp` reads and writes through each kind of mount, with the container in `phase`. */
  async function scenario({ name, client }: Daemon): Promise<Record<string, unknown>> {
    const bind = join(work, name);
    await rm(bind, { recursive: true, force: true });
    await mkdir(bind);
    await writeFile(join(bind, 'from-host'), 'bound\n');
    const container: Docker.Container = await client.createContainer({
      Image: 'busybox:latest', Hostname: 'copied-host', Cmd: ['sh', '-c', 'echo vol > /data/f; sleep 600'],
      HostConfig: { NetworkMode: 'none', Binds: ['archive-data:/data', `${bind}:/srv/bind`] },
    });
    await container.start();
    const read = async (path: string): Promise<Record<string, string>> => filesOf((await container.getArchive({ path })) as unknown as Readable);
    const seen: Record<string, unknown> = {};
    for (const phase of ['running', 'stopped'] as const) {
      if (phase === 'stopped') await container.kill();
      seen[`${phase} hostname`] = (await read('/etc/hostname')).hostname;
      seen[`${phase} volume`] = (await read('/data/f')).f;
      seen[`${phase} bind`] = (await read('/srv/bind/from-host'))['from-host'];
      seen[`${phase} volume dir`] = Object.keys(await read('/data')).sort();
      await container.putArchive(await makeTar([{ name: `put-${phase}`, content: phase }]), { path: '/data' });
      await container.putArchive(await makeTar([{ name: `put-${phase}`, content: phase }]), { path: '/srv/bind' });
      seen[`${phase} put into bind`] = await readFile(join(bind, `put-${phase}`), 'utf8');
      seen[`${phase} put into volume`] = (await read(`/data/put-${phase}`))[`put-${phase}`];
    }
    await container.remove({ force: true });
    return seen;
  }

  test('cp reads and writes through volumes, bind mounts and /etc/hostname, running and stopped', async () => {
    const berth = await scenario(pair.daemon('berthd'));
    const dockerd = await scenario(pair.daemon('dockerd'));
    assert.deepEqual(berth, dockerd);
    assert.equal(dockerd['stopped hostname'], 'copied-host\n');
    assert.equal(dockerd['running volume'], 'vol\n');
  });
});
