// Log drivers answered by berthd as by a private dockerd in the same test: json-file by default,
// so the Python SDK's containers.run returns the output; inspect's LogConfig and LogPath; the
// json-file on disk line by line; rotation by max-size/max-file (compressed too) leaving the files
// dockerd leaves; `docker logs` options; none, unknown drivers and unknown options with dockerd's
// statuses and messages. Needs root, runc, conmon, dockerd and python3-docker.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type Docker from 'dockerode';
import { http, pythonOk, SideBySide, sideBySideSkip, type Daemon } from '../support/side-by-side.js';

const BUSYBOX = 'busybox:latest';
const LINES_100 = 'i=0; while [ $i -lt 100 ]; do echo "line $i abcdefghijklmnopqrstuvwxyz"; i=$((i+1)); done';

describe('log drivers, berthd beside dockerd', { skip: sideBySideSkip() }, () => {
  let pair: SideBySide;
  before(async () => { pair = await SideBySide.start('berth-e2e-logs-'); });
  after(async () => { await pair.close(); });
  /** The same scenario on both daemons: berthd's answer, then dockerd's. */
  const onBoth = async <T>(scenario: (daemon: Daemon) => Promise<T>): Promise<[T, T]> => [await scenario(pair.daemon('berthd')), await scenario(pair.daemon('dockerd'))];

  /** Creates (with `hostConfig` over NetworkMode none), starts and waits for a container. */
  async function runToEnd(daemon: Daemon, cmd: string, hostConfig: Docker.HostConfig = {}, extra: Partial<Docker.ContainerCreateOptions> = {}): Promise<Docker.ContainerInspectInfo> {
    const container = await daemon.client.createContainer({ Image: BUSYBOX, Cmd: ['sh', '-c', cmd], HostConfig: { NetworkMode: 'none', ...hostConfig }, ...extra });
    await container.start();
    await container.wait();
    return container.inspect();
  }

  /** The files of the container's json-file set (names after the id), once dockerd's background compression is done. */
  async function jsonFiles(info: Docker.ContainerInspectInfo): Promise<string[]> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const names = (await readdir(dirname(info.LogPath))).filter((name) => name.startsWith(basename(info.LogPath))).sort();
      const compressing = names.some((name) => /\.\d+$/.test(name)) && names.some((name) => name.endsWith('.gz'));
      if (!compressing) return names.map((name) => name.slice(info.Id.length));
      await delay(100);
    }
    assert.fail(`${info.LogPath}: compression did not finish`);
  }

  test("the Python SDK's containers.run returns the output (it reads logs only from json-file or journald)", async () => {
    const [berth, dockerd] = await onBoth((daemon) => Promise.resolve(
      pythonOk(daemon.socketPath, "print(repr(client.containers.run('busybox', 'echo hi', network_mode='none')))").trim(),
    ));
    assert.equal(dockerd, "b'hi\\n'");
    assert.equal(berth, dockerd);
  });

  test("inspect's LogConfig as dockerd shows it; LogPath once started, empty for local and none", async () => {
    const configs: (Docker.HostConfig['LogConfig'] | undefined)[] = [
      undefined,
      { Type: 'json-file', Config: { 'max-size': '1k', 'max-file': '3', compress: 'true' } },
      { Type: '', Config: { 'max-size': '10m' } },
      { Type: 'local', Config: {} },
      { Type: 'none', Config: { foo: 'bar' } },
    ];
    for (const config of configs) {
      const [berth, dockerd] = await onBoth(async (daemon) => {
        const container = await daemon.client.createContainer({ Image: BUSYBOX, Cmd: ['true'], HostConfig: { NetworkMode: 'none', ...(config === undefined ? {} : { LogConfig: config }) } });
        const created = await container.inspect();
        await container.start();
        await container.wait();
        const ran = await container.inspect();
        const path = ran.LogPath === '' ? '' : ran.LogPath.endsWith(`/containers/${ran.Id}/${ran.Id}-json.log`) ? 'containers/<id>/<id>-json.log' : ran.LogPath;
        return { logConfig: ran.HostConfig.LogConfig, createdPath: created.LogPath, path };
      });
      assert.deepEqual(berth, dockerd, JSON.stringify(config));
    }
  });

  test('the json-file on disk: one JSON object a line, the same fields, escapes and attributes as dockerd writes', async () => {
    const cmd = 'printf "t\\tab<>&\\"\\\\\\\\ \\001 é\\n"; echo err >&2; echo out2; printf nonl';
    const options = { labels: 'a,zz', env: 'E1,PATH', tag: '{{.Name}}' };
    const [berth, dockerd] = await onBoth(async (daemon) => {
      const info = await runToEnd(daemon, cmd, { LogConfig: { Type: 'json-file', Config: options } }, { name: 'logged', Labels: { a: '1' }, Env: ['E1=x'] });
      const lines = (await readFile(info.LogPath, 'utf8')).split('\n');
      assert.equal(lines.pop(), '', 'the file ends with a newline');
      const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      for (const entry of parsed) assert.match(String(entry.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/);
      const byStream = (stream: string): string[] => lines.filter((_, k) => parsed[k]?.stream === stream).map((line) => line.replace(/"time":"[^"]*"/, '"time":T'));
      return { keys: parsed.map((entry) => Object.keys(entry).join(',')), stdout: byStream('stdout'), stderr: byStream('stderr') };
    });
    assert.deepEqual(berth, dockerd);
    assert.equal(dockerd.stdout.length, 3);
  });

  test('rotation by max-size and max-file leaves the files dockerd leaves, compressed or not; logs reads them all', async () => {
    for (const config of [{ 'max-size': '1k', 'max-file': '3' }, { 'max-size': '1k', 'max-file': '3', compress: 'true' }, { 'max-size': '1k' }]) {
      const [berth, dockerd] = await onBoth(async (daemon) => {
        const info = await runToEnd(daemon, LINES_100, { LogConfig: { Type: 'json-file', Config: config } });
        const logs = daemon.docker(['logs', info.Id]).out.trim().split('\n').map((line) => Number(line.split(' ')[1]));
        assert.deepEqual(logs, logs.map((_, k) => 100 - logs.length + k), `${daemon.name}: the newest lines, in order`);
        return { files: await jsonFiles(info), last: logs.at(-1) };
      });
      assert.deepEqual(berth, dockerd, JSON.stringify(config));
    }
  });

  test('logs options: tail, timestamps, since, until and follow of an exited container', async () => {
    // One stream: the order of stdout and stderr lines (two pipes) is not defined, in dockerd's files either.
    // The last line has no newline, and logs adds none.
    const [berth, dockerd] = await onBoth(async (daemon) => {
      const { Id: id } = await runToEnd(daemon, 'for i in 1 2 3 4 5; do echo "n $i"; done; printf end');
      const out = (args: string[]): { out: string; err: string } => {
        const result = daemon.docker(['logs', ...args, id]);
        assert.equal(result.code, 0, `${daemon.name} logs ${args.join(' ')}: ${result.err}`);
        return { out: result.out, err: result.err };
      };
      const stamped = out(['-t', '--tail', '2']).out.split('\n').filter(Boolean);
      for (const line of stamped) assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (n 5|end)$/);
      return {
        all: out([]), tail: out(['--tail', '2']), follow: out(['-f']), future: out(['--since', '2099-01-01T00:00:00Z']),
        past: out(['--until', '2000-01-01T00:00:00Z']), sinceEpoch: out(['--since', '0']).out, stamped: stamped.length,
      };
    });
    assert.deepEqual(berth, dockerd);
  });

  test('none: no log is kept and logs fails as in dockerd', async () => {
    const [berth, dockerd] = await onBoth(async (daemon) => {
      const info = await runToEnd(daemon, 'echo hi', { LogConfig: { Type: 'none', Config: {} } });
      const answer = await http(daemon.socketPath, 'GET', `/v1.41/containers/${info.Id}/logs?stdout=1&stderr=1`);
      const cli = daemon.docker(['logs', info.Id]);
      return { status: answer.status, body: JSON.parse(answer.body) as unknown, cli: { code: cli.code, err: cli.err } };
    });
    assert.deepEqual(berth, dockerd);
    assert.equal(dockerd.status, 501);
  });

  /** The status and body of a create with this LogConfig. */
  async function create(daemon: Daemon, logConfig: unknown): Promise<{ status: number; body: unknown }> {
    const body = JSON.stringify({ Image: BUSYBOX, Cmd: ['true'], HostConfig: { NetworkMode: 'none', LogConfig: logConfig } });
    const answer = await http(daemon.socketPath, 'POST', '/v1.41/containers/create', body, { 'Content-Type': 'application/json' });
    return { status: answer.status, body: JSON.parse(answer.body) as unknown };
  }

  test('unknown drivers and unknown options: dockerd’s status and message; drivers berth does not offer answer as unknown ones', async () => {
    const cases = [{ Type: 'nope', Config: {} }, { Type: 'json-file', Config: { foo: 'bar' } }, { Type: 'local', Config: { env: 'A' } }, { Type: '', Config: { 'max-sise': '1m' } }];
    for (const logConfig of cases) {
      const [berth, dockerd] = await onBoth((daemon) => create(daemon, logConfig));
      assert.deepEqual(berth, dockerd, JSON.stringify(logConfig));
      assert.equal(dockerd.status, 400);
    }
    // dockerd knows these (it fails at start when the host lacks them); berth has none of them.
    for (const type of ['journald', 'syslog', 'fluentd', 'gelf']) {
      const answer = await create(pair.daemon('berthd'), { Type: type, Config: {} });
      assert.deepEqual(answer, { status: 400, body: { message: `error looking up logging plugin ${type}: plugin "${type}" not found` } });
    }
    const [berth, dockerd] = await onBoth((daemon) => {
      const run = daemon.docker(['run', '--rm', '--network', 'none', '--log-driver', 'nope', BUSYBOX, 'true']);
      return Promise.resolve({ code: run.code, err: run.err.split('\n')[0] });
    });
    assert.deepEqual(berth, dockerd);
  });
});
