// Exec as the SDKs use it, answered by berthd as by a private dockerd in the same test: a start
// without a connection upgrade (dockerode, and so testcontainers-node) gets the output as the
// response body; the start request's Tty picks raw or multiplexed output; field names match as
// Go's decoder matches them; a command that does not exist starts its stream and exits 126/127.
// Needs root, runc, conmon, dockerd and python3-docker.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { demuxStreams, pythonOk, pythonSdks, SideBySide, sideBySideSkip, type Daemon } from '../support/side-by-side.js';

async function bodyOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** POSTs a JSON body over the daemon's socket exactly as given (no client renames anything). */
function postJson(socketPath: string, path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      void bodyOf(res).then((data) => { resolve({ status: res.statusCode ?? 0, json: data.length === 0 ? undefined : JSON.parse(data.toString()) as unknown }); }, reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** Runs `cmd` by exec and returns the raw body of a start without connection upgrade, and the exit code. */
async function plainExec(container: Docker.Container, create: Docker.ExecCreateOptions, start: Docker.ExecStartOptions): Promise<{ body: Buffer; exitCode: number | null }> {
  const exec = await container.exec(create);
  const stream = await exec.start({ ...start, hijack: false, stdin: false });
  const body = await bodyOf(stream);
  return { body, exitCode: (await exec.inspect()).ExitCode };
}

describe('exec as SDKs use it, berthd beside dockerd', { skip: sideBySideSkip() }, () => {
  let pair: SideBySide;
  const containers = new Map<string, Docker.Container>();
  before(async () => {
    pair = await SideBySide.start('berth-e2e-exec-');
    for (const { name, client } of pair.daemons) {
      const container = await client.createContainer({ Image: 'busybox:latest', Cmd: ['sleep', '3600'], HostConfig: { NetworkMode: 'none' } });
      await container.start();
      containers.set(name, container);
    }
  });
  after(async () => {
    await pair.close(async () => {
      for (const container of containers.values()) await container.remove({ force: true }).catch(() => undefined);
    });
  });
  const containerOf = (daemon: Daemon): Docker.Container => containers.get(daemon.name) ?? assert.fail(daemon.name);
  /** The same scenario on both daemons: berthd's answer, then dockerd's. */
  const onBoth = async <T>(scenario: (daemon: Daemon) => Promise<T>): Promise<[T, T]> => [await scenario(pair.daemon('berthd')), await scenario(pair.daemon('dockerd'))];

  test('a start without upgrade answers with the output, framed, and the exit code', async () => {
    const [berth, dockerd] = await onBoth(async (daemon) => {
      const { body, exitCode } = await plainExec(containerOf(daemon), { Cmd: ['sh', '-c', 'echo out; echo err >&2; exit 3'], AttachStdout: true, AttachStderr: true }, { Detach: false, Tty: false });
      return { ...demuxStreams(body), exitCode };
    });
    assert.deepEqual(berth, dockerd);
    assert.deepEqual(dockerd, { stdout: 'out\n', stderr: 'err\n', exitCode: 3 });
  });

  test("raw or multiplexed output follows the start request's Tty, not the create request's", async () => {
    for (const [createTty, startTty] of [[true, false], [false, true]] as const) {
      const [berth, dockerd] = await onBoth((daemon) => plainExec(containerOf(daemon), { Cmd: ['echo', 'framed'], AttachStdout: true, AttachStderr: true, Tty: createTty }, { Detach: false, Tty: startTty }));
      assert.deepEqual(berth, dockerd, `create Tty ${createTty}, start Tty ${startTty}`);
    }
  });

  test('field names match whatever their case, as Go decodes JSON', async () => {
    const [berth, dockerd] = await onBoth(async (daemon) => {
      const created = await postJson(daemon.socketPath, `/containers/${containerOf(daemon).id}/exec`, { cmd: ['echo', 'lower'], attachStdout: true, detachKeys: 'ctrl-x,a' });
      assert.equal(created.status, 201, `${daemon.name}: ${JSON.stringify(created.json)}`);
      const exec = daemon.client.getExec((created.json as { Id: string }).Id);
      const body = await bodyOf(await exec.start({ hijack: false, stdin: false, Detach: false, Tty: false }));
      const inspected = await exec.inspect();
      return { body, detachKeys: (inspected as unknown as { DetachKeys: string }).DetachKeys };
    });
    assert.deepEqual(berth, dockerd);
  });

  test('a command that does not exist: the stream starts, the exit code is as dockerd gives it', async () => {
    const [berth, dockerd] = await onBoth(async (daemon) => {
      const plain = await plainExec(containerOf(daemon), { Cmd: ['/no/such/binary'], AttachStdout: true, AttachStderr: true }, { Detach: false, Tty: false });
      return { exitCode: plain.exitCode, hasMessage: plain.body.length > 8 };
    });
    assert.deepEqual(berth, dockerd);
    assert.equal(dockerd.exitCode, 126);
    for (const python of pythonSdks()) {
      const [viaBerth, viaDockerd] = await onBoth((daemon) => {
        const stdout = pythonOk(daemon.socketPath, [
          `r = client.containers.get('${containerOf(daemon).id}').exec_run(['/no/such/binary'])`,
          'print(json.dumps([r.exit_code, len(r.output) > 0]))',
        ].join('\n'), python);
        return Promise.resolve(JSON.parse(stdout) as [number, boolean]);
      });
      assert.deepEqual(viaBerth, viaDockerd, python);
    }
  });

  test("the Python SDK's exec_run returns the output, with and without a TTY", async () => {
    for (const python of pythonSdks()) {
      const [berth, dockerd] = await onBoth((daemon) => {
        const stdout = pythonOk(daemon.socketPath, [
          `c = client.containers.get('${containerOf(daemon).id}')`,
          "a = c.exec_run(['sh', '-c', 'echo one; echo two >&2'], demux=True)",
          "b = c.exec_run(['echo', 'tty'], tty=True)",
          'print(json.dumps([a.exit_code, [x.decode() if x else None for x in a.output], b.exit_code, b.output.decode()]))',
        ].join('\n'), python);
        return Promise.resolve(JSON.parse(stdout) as unknown);
      });
      assert.deepEqual(berth, dockerd, python);
    }
  });
});
