// `GET /events` with `since=0` (the epoch: all history) or only `until`, label filters ANDed, and
// a `since` after `until`, against a private dockerd; and port bindings with `HostPort: "0"`
// (what testcontainers sends) as "any free port". Clients: dockerode, the Python SDK, the docker
// CLI. Containers publish on 127.0.0.1 only. Needs root, runc, conmon, docker.io, python3-docker.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { http, jsonLines, python, SideBySide, sideBySideSkip, type Daemon } from '../support/side-by-side.js';

interface EventMessage { Type: string; Action: string; Actor: { Attributes: Record<string, string> } }

/** dockerode's event stream for `options` (it ends at `until`), as `Type Action name` lines. */
async function events(daemon: Daemon, options: Record<string, unknown>): Promise<string[]> {
  const stream = await daemon.client.getEvents(options);
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return (jsonLines(Buffer.concat(chunks).toString('utf8')) as unknown as EventMessage[])
    .map((e) => `${e.Type} ${e.Action} ${e.Actor.Attributes.name ?? ''}`).sort();
}

/** Now in Unix seconds with a fraction: every event recorded so far is at or before it. */
const nowSeconds = (): string => (Date.now() / 1000).toFixed(3);

describe('events since the epoch and HostPort "0"', { skip: sideBySideSkip() }, () => {
  let pair: SideBySide;
  let until: string;

  before(async () => {
    pair = await SideBySide.start('berth-e2e-events-ports-');
    for (const daemon of pair.daemons) {
      for (const args of [['--name', 'ev-1', '--label', 'app=ev', '--label', 'tier=x'], ['--name', 'ev-2', '--label', 'app=ev']]) {
        const r = daemon.docker(['create', '--network', 'none', ...args, 'busybox', 'true']);
        assert.equal(r.code, 0, r.err);
      }
    }
    until = nowSeconds();
  });
  after(async () => { await pair.close(); });

  test('since=0 is the epoch: the recorded events come (dockerode, Python SDK, docker CLI); labels are ANDed', async () => {
    const seen = [];
    for (const daemon of pair.daemons) {
      const byDockerode = await events(daemon, { since: 0, until, filters: { label: ['app=ev', 'tier=x'] } });
      const sdk = python(daemon.socketPath, [
        `found = client.events(since=0, until=${until}, decode=True, filters={'label': ['app=ev']})`,
        'print(json.dumps(sorted(e["Action"] + " " + e["Actor"]["Attributes"]["name"] for e in found)))',
      ].join('\n'));
      assert.equal(sdk.code, 0, sdk.err);
      const cli = daemon.docker(['events', '--since', '0', '--until', until, '--filter', 'label=app=ev', '--filter', 'label=tier=x', '--format', '{{.Action}} {{.Actor.Attributes.name}}']);
      assert.equal(cli.code, 0, cli.err);
      seen.push({ byDockerode, bySdk: JSON.parse(sdk.out) as string[], byCli: cli.out.trim().split('\n') });
    }
    assert.deepEqual(seen[0], { byDockerode: ['container create ev-1'], bySdk: ['create ev-1', 'create ev-2'], byCli: ['create ev-1'] });
    assert.deepEqual(seen[1], seen[0]);
  });

  test('until alone reads the history up to it; since after until is refused as dockerd refuses it', async () => {
    const answers: { history: string[]; status: number; message: string }[] = [];
    for (const daemon of pair.daemons) {
      const history = await events(daemon, { until, filters: { container: ['ev-'] } });
      const refused = await http(daemon.socketPath, 'GET', `/events?since=${until}&until=1`);
      answers.push({ history, status: refused.status, message: (JSON.parse(refused.body) as { message: string }).message });
    }
    const [expected, actual] = answers;
    assert.deepEqual(expected?.history, ['container create ev-1', 'container create ev-2']);
    assert.equal(expected.status, 400);
    assert.deepEqual(actual, expected);
  });

  test('HostPort "0" is any free port: dockerode, the Python SDK and the docker CLI get one', async () => {
    const dockerd = pair.daemon('dockerd');
    const berthd = pair.daemon('berthd');
    // dockerd accepts "0" at create (with no bridge of its own here it cannot start it on one).
    const reference = await dockerd.client.createContainer({ Image: 'busybox', Cmd: ['true'], HostConfig: { NetworkMode: 'none', PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '0' }] } } });
    assert.ok(reference.id);
    const created = await berthd.client.createContainer({
      Image: 'busybox', Cmd: ['sleep', '1000'], name: 'port-zero', ExposedPorts: { '8080/tcp': {} },
      HostConfig: { PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '0' }] } },
    });
    await created.start();
    const ports = (await created.inspect()).NetworkSettings.Ports as Record<string, { HostIp: string; HostPort: string }[] | null | undefined>;
    const bound = ports['8080/tcp']?.[0];
    assert.equal(bound?.HostIp, '127.0.0.1');
    assert.match(bound.HostPort, /^[1-9]\d*$/);
    const sdk = python(berthd.socketPath, [
      "c = client.containers.run('busybox', ['sleep', '1000'], ports={'8081/tcp': ('127.0.0.1', 0)}, detach=True, name='port-zero-sdk')",
      'c.reload()',
      "print(c.ports['8081/tcp'][0]['HostPort'])",
    ].join('\n'));
    assert.equal(sdk.code, 0, sdk.err);
    assert.match(sdk.out.trim(), /^[1-9]\d*$/);
    const cli = berthd.docker(['run', '-d', '--name', 'port-zero-cli', '-p', '127.0.0.1:0:8082', 'busybox', 'sleep', '1000']);
    assert.equal(cli.code, 0, cli.err);
    assert.match(berthd.docker(['port', 'port-zero-cli', '8082']).out.trim(), /^127\.0\.0\.1:[1-9]\d*$/);
    const chosen = new Set([bound.HostPort, sdk.out.trim(), berthd.docker(['port', 'port-zero-cli', '8082']).out.trim().split(':')[1]]);
    assert.equal(chosen.size, 3, 'each binding got a port of its own');
  });
});
