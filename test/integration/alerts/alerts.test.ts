// berthd --alert-rules with a webhook receiver on loopback (a node:http server of this test): an
// OOM-killed container fires one notification in Alertmanager's webhook format and its removal
// one resolved notification; a metric rule fires for a running container (`berth alert ls`); a
// restart loop and a container turning unhealthy fire theirs; an unreachable receiver is retried
// and gets the notification once it listens; a notification not yet delivered when berthd is
// killed (SIGKILL) is delivered by the next berthd; SIGHUP reads the rules again. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { http } from '../../support/side-by-side.js';
import { mkdtemp, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { berthAt, berthOk, needsRoot } from '../../support/berth-cli.js';
import { BerthdProcess } from '../../support/berthd-process.js';
import { eventually, leftoverCgroupDirs, sweepLeftovers, testCgroupName } from '../runtime/runtime-fixtures.js';
import { freePort } from '../metrics/metrics-fixtures.js';
import { Receiver, type Notification } from './webhook-receiver.js';

const HOG = ['sh', '-c', 'x=aaaaaaaaaaaaaaaa; while true; do x=$x$x; done'];

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** The body's shape as Alertmanager's webhook documentation gives it (version "4"). */
function assertWebhookShape(n: Notification): void {
  assert.deepEqual(Object.keys(n).sort(), ['alerts', 'commonAnnotations', 'commonLabels', 'externalURL', 'groupKey', 'groupLabels', 'receiver', 'status', 'truncatedAlerts', 'version']);
  assert.equal(n.version, '4');
  assert.equal(n.receiver, 'hook');
  assert.equal(typeof n.groupKey, 'string');
  assert.equal(n.truncatedAlerts, 0);
  assert.ok(n.status === 'firing' || n.status === 'resolved');
  for (const alert of n.alerts) {
    assert.deepEqual(Object.keys(alert).sort(), ['annotations', 'endsAt', 'fingerprint', 'generatorURL', 'labels', 'startsAt', 'status']);
    assert.match(alert.startsAt, RFC3339);
    assert.match(alert.endsAt, alert.status === 'firing' ? /^0001-01-01T00:00:00Z$/ : RFC3339);
    assert.match(alert.fingerprint, /^[0-9a-f]{16}$/);
  }
}

describe('alerts to a webhook', { skip: needsRoot() }, () => {
  let work: string;
  let root: string;
  let socket: string;
  let cgroupParent = '';
  let daemon: BerthdProcess | undefined;
  let receiver: Receiver;
  const created = new Set<string>();

  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> => {
    const answer = await http(socket, method, path, body === undefined ? undefined : JSON.stringify(body), { 'Content-Type': 'application/json' });
    return { status: answer.status, text: answer.body };
  };
  const run = async (name: string, cmd: string[], memory: number, more: Record<string, unknown> = {}, hostConfig: Record<string, unknown> = {}): Promise<void> => {
    const made = await call('POST', `/v1.43/containers/create?name=${name}`, { Image: 'busybox', Cmd: cmd, ...more, HostConfig: { Memory: memory, ...hostConfig } });
    assert.equal(made.status, 201, made.text);
    created.add(name);
    const started = await call('POST', `/v1.43/containers/${name}/start`);
    assert.equal(started.status, 204, started.text);
  };
  const remove = async (name: string): Promise<void> => {
    const removed = await call('DELETE', `/v1.43/containers/${name}?force=1`);
    assert.equal(removed.status, 204, removed.text);
    created.delete(name);
  };
  const alerts = async (): Promise<{ Rule: string; Status: string; Labels: Record<string, string>; Value?: number; Delivery: { State: string; Attempts: number } }[]> => {
    const answer = await call('GET', '/berth/v1/alerts');
    assert.equal(answer.status, 200, answer.text);
    return JSON.parse(answer.text) as never;
  };
  let rules = '';
  const startDaemon = async (): Promise<void> => {
    daemon = await BerthdProcess.start(root, socket, ['--cgroup-parent', cgroupParent, '--alert-rules', join(work, 'alerts.yaml')]);
  };

  before(async () => {
    await sweepLeftovers();
    work = await mkdtemp(join(tmpdir(), 'berth-alerts-'));
    root = join(work, 'root');
    socket = join(work, 'berth.sock');
    cgroupParent = `/${testCgroupName()}`;
    receiver = new Receiver(await freePort());
    rules = [
      'interval: 1s', 'group_wait: 1s', 'group_interval: 1s',
      'receivers:', `  - { name: hook, url: "http://127.0.0.1:${receiver.port}/hook", timeout: 2s }`,
      'rules:',
      '  - { name: oom-killed, event: oom, severity: critical, group_by: [alertname, name], annotations: { summary: "{{ $labels.name }} was OOM-killed" } }',
      '  - name: memory-used',
      '    metric: container_memory_working_set_bytes',
      '    ratio_to: container_spec_memory_limit_bytes',
      '    op: ">"',
      '    threshold: 0.00001',
      '    for: 2s',
      '    group_by: [alertname, name]',
      '  - { name: crash-loop, event: restart_loop, restarts: 3, within: 1m, group_by: [alertname, name] }',
      '  - { name: unhealthy, event: unhealthy, group_by: [alertname, name] }',
    ].join('\n');
    await writeFile(join(work, 'alerts.yaml'), rules);
    await berthOk(root, ['image', 'bootstrap', 'busybox']);
    await startDaemon();
  });
  after(async () => {
    await receiver.close();
    if (daemon !== undefined && daemon.child.exitCode === null) {
      for (const name of created) await call('DELETE', `/v1.43/containers/${name}?force=1`).catch(() => undefined);
    }
    await daemon?.stop();
    // This run's cgroup parent, empty once its containers are gone (the sweep keeps a live run's).
    for (const dir of cgroupParent === '' ? [] : await leftoverCgroupDirs(cgroupParent.slice(1))) await rmdir(dir).catch(() => undefined);
    await sweepLeftovers();
    await rm(work, { recursive: true, force: true });
  });

  test('an OOM-killed container fires one notification and its removal resolves it', async () => {
    await receiver.listen();
    await run('hog1', HOG, 16 * 1024 * 1024);
    await eventually('the firing notification of hog1', () => receiver.of('hog1').includes('oom-killed:firing'), 60_000);
    const firing = receiver.received.find((n) => n.alerts.some((a) => a.labels.name === 'hog1'));
    assert.ok(firing !== undefined);
    assertWebhookShape(firing);
    assert.deepEqual(firing.groupLabels, { alertname: 'oom-killed', name: 'hog1' });
    assert.equal(firing.commonLabels.severity, 'critical');
    assert.equal(firing.commonAnnotations.summary, 'hog1 was OOM-killed');
    const listed = (await alerts()).filter((a) => a.Labels.name === 'hog1');
    assert.deepEqual(listed.map((a) => [a.Rule, a.Status]), [['oom-killed', 'firing']]);
    await remove('hog1');
    await eventually('the resolved notification of hog1', () => receiver.of('hog1').includes('oom-killed:resolved'), 60_000);
    assert.deepEqual(receiver.of('hog1'), ['oom-killed:firing', 'oom-killed:resolved']);
    const resolved = receiver.received.find((n) => n.status === 'resolved' && n.alerts.some((a) => a.labels.name === 'hog1'));
    assert.ok(resolved !== undefined);
    assertWebhookShape(resolved);
    assert.equal(resolved.alerts[0]?.fingerprint, firing.alerts[0]?.fingerprint);
  });

  test('a metric rule fires for a running container and berth alert ls shows it', async () => {
    await run('steady', ['sleep', '1000'], 64 * 1024 * 1024);
    await eventually('the memory-used notification of steady', () => receiver.of('steady').includes('memory-used:firing'), 60_000);
    const ls = await berthAt(socket, ['alert', 'ls']);
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /^RULE\s+STATUS\s+SEVERITY\s+LABELS\s+SINCE\s+DELIVERY$/m);
    assert.match(ls.stdout, /^memory-used\s+firing\s+warning\s+.*name=steady.*delivered \(hook\)$/m);
    const json = JSON.parse((await berthAt(socket, ['alert', 'ls', '--format', 'json'])).stdout) as { Rule: string; Value?: number }[];
    assert.ok((json.find((a) => a.Rule === 'memory-used')?.Value ?? 0) > 0);
    await remove('steady');
    await eventually('the resolved notification of steady', () => receiver.of('steady').includes('memory-used:resolved'), 60_000);
  });

  test('a restart loop and a container turning unhealthy fire their rules', async () => {
    await run('flappy', ['sh', '-c', 'exit 3'], 0, {}, { RestartPolicy: { Name: 'always' } });
    await run('sick', ['sleep', '1000'], 0, { Healthcheck: { Test: ['CMD', 'false'], Interval: 1_000_000_000, Retries: 1 } });
    await eventually('the crash-loop notification of flappy', () => receiver.of('flappy').includes('crash-loop:firing'), 60_000);
    await eventually('the unhealthy notification of sick', () => receiver.of('sick').includes('unhealthy:firing'), 60_000);
    await remove('flappy');
    await remove('sick');
    await eventually('both resolved', () => receiver.of('flappy').includes('crash-loop:resolved') && receiver.of('sick').includes('unhealthy:resolved'), 60_000);
    assert.deepEqual(receiver.of('flappy'), ['crash-loop:firing', 'crash-loop:resolved']);
    assert.deepEqual(receiver.of('sick'), ['unhealthy:firing', 'unhealthy:resolved']);
  });

  test('an unreachable receiver is retried and gets the notification once it listens', async () => {
    await receiver.close();
    await run('hog2', HOG, 16 * 1024 * 1024);
    await eventually('hog2\'s notification retried twice', async () => (await alerts()).some((a) => a.Labels.name === 'hog2' && a.Delivery.State === 'retrying' && a.Delivery.Attempts >= 2), 60_000);
    await receiver.listen();
    await eventually('the firing notification of hog2', () => receiver.of('hog2').includes('oom-killed:firing'), 60_000);
    assert.deepEqual(receiver.of('hog2'), ['oom-killed:firing']);
  });

  test('a notification not yet delivered when berthd is killed is delivered after its restart', async () => {
    await receiver.close();
    await remove('hog2');
    await eventually('hog2\'s resolution retried', async () => (await alerts()).some((a) => a.Labels.name === 'hog2' && a.Status === 'resolved' && a.Delivery.State === 'retrying'), 60_000);
    await daemon?.kill();
    await startDaemon();
    await receiver.listen();
    await eventually('the resolved notification of hog2', () => receiver.of('hog2').includes('oom-killed:resolved'), 60_000);
    assert.deepEqual(receiver.of('hog2'), ['oom-killed:firing', 'oom-killed:resolved']);
    assert.deepEqual((await alerts()).filter((a) => a.Labels.name === 'hog2'), []);
  });

  test('SIGHUP reads the rules again; a bad file is logged and the rules in force stay', async () => {
    const running = daemon;
    assert.ok(running !== undefined);
    const file = join(work, 'alerts.yaml');
    await writeFile(file, `${rules}\n  - { name: bad, event: oom, receiver: nobody }\n`);
    running.child.kill('SIGHUP');
    await eventually('the refused reload logged', () => running.log.join('').includes('not reloaded, the previous ones stay in force'), 30_000);
    assert.match(running.log.join(''), /alerts\.yaml:\d+: rule "bad" \(rules\[4\]\): field receiver: no receiver is named "nobody"/);
    await writeFile(file, `${rules}\n  - { name: oom-loud, event: oom }\n`);
    running.child.kill('SIGHUP');
    await eventually('the reload logged', () => running.log.join('').includes('reloaded: 5 rules (1 metric, 4 event)'), 30_000);
    assert.equal((await call('GET', '/_ping')).status, 200);
  });

  test('a bad rules file stops berthd before it serves, naming the rule, field and line', async () => {
    const bad = join(work, 'bad.yaml');
    await writeFile(bad, 'receivers: [{ name: hook, url: "http://127.0.0.1:9/" }]\nrules:\n  - name: m\n    metric: container_processes\n    op: "=>"\n    threshold: 1\n');
    await assert.rejects(BerthdProcess.start(join(work, 'other-root'), join(work, 'other.sock'), ['--alert-rules', bad]),
      /bad\.yaml:5: rule "m" \(rules\[0\]\): field op: Invalid option/);
  });
});
