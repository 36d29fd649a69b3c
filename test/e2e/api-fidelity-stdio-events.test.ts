// Attach with logs and the events of exec, copy and attach, answered by berthd as by a private
// dockerd in the same test (dockerode as the client). Needs root, runc, conmon and dockerd.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { makeTar } from '../support/oci-fixtures.js';
import { demuxStreams, SideBySide, sideBySideSkip, type Daemon } from '../support/side-by-side.js';

const IMAGE = 'busybox:latest';

async function bodyOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('attach and events, berthd beside dockerd', { skip: sideBySideSkip() }, () => {
  let pair: SideBySide;
  before(async () => {
    pair = await SideBySide.start('berth-e2e-stdio-events-');
  });
  after(async () => {
    await pair.close();
  });
  const onBoth = async <T>(scenario: (daemon: Daemon) => Promise<T>): Promise<[T, T]> => [await scenario(pair.daemon('berthd')), await scenario(pair.daemon('dockerd'))];

  test('attach with logs=1 and stream=0 returns the past output', async () => {
    const [berth, dockerd] = await onBoth(async ({ client }) => {
      const container = await client.createContainer({ Image: IMAGE, Cmd: ['sh', '-c', 'echo one; echo two >&2; echo three'], HostConfig: { NetworkMode: 'none' } });
      try {
        await container.start();
        await container.wait();
        const outputs: Buffer[] = [];
        for (const streams of [{ stdout: true, stderr: true }, { stdout: true, stderr: false }]) {
          const stream = (await container.attach({ logs: true, stream: false, ...streams })) as unknown as Readable;
          outputs.push(await bodyOf(stream));
        }
        return outputs.map(demuxStreams);
      } finally {
        await container.remove({ force: true });
      }
    });
    assert.deepEqual(berth, dockerd);
    assert.deepEqual(dockerd, [{ stdout: 'one\nthree\n', stderr: 'two\n' }, { stdout: 'one\nthree\n', stderr: '' }]);
  });

  test('exec, copy out, copy in and attach make the events dockerd makes', async () => {
    const [berth, dockerd] = await onBoth(async ({ client }) => {
      const since = Math.floor(Date.now() / 1000) - 1;
      const container = await client.createContainer({ Image: IMAGE, Cmd: ['sleep', '600'], HostConfig: { NetworkMode: 'none' } });
      try {
        await container.start();
        const exec = await container.exec({ Cmd: ['true'], AttachStdout: true });
        await bodyOf(await exec.start({ hijack: false, stdin: false, Detach: false, Tty: false }));
        await bodyOf((await container.getArchive({ path: '/etc/passwd' })) as unknown as Readable);
        await container.putArchive(await makeTar([{ name: 'copied', content: 'in' }]), { path: '/tmp' });
        await bodyOf((await container.attach({ logs: true, stream: false, stdout: true })) as unknown as Readable);
        await container.kill();
        return await actionsOf(client, container.id, since);
      } finally {
        await container.remove({ force: true });
      }
    });
    assert.deepEqual(berth, dockerd);
  });
});

/** The container's event actions from `since` until now, in order (an exec's command cut off). */
async function actionsOf(client: Docker, id: string, since: number): Promise<string[]> {
  const stream = (await client.getEvents({ since, until: Math.ceil(Date.now() / 1000) + 1, filters: { container: [id] } })) as unknown as Readable;
  const text = (await bodyOf(stream)).toString();
  return text.split('\n').filter((line) => line !== '').map((line) => (JSON.parse(line) as { Action: string }).Action.replace(/:.*/, ''));
}
