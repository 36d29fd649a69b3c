import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualTime } from '../../test/support/manual-time.js';
import type { NodeEvent } from '../events/event-types.js';
import { parseAlertRules } from './alert-rules-file.js';
import { AlertRunner } from './alert-runner.js';
import type { AlertState } from './alert-state.js';
import type { AlertStateStore } from './alert-state-file.js';
import type { ContainerMetrics } from './metric-conditions.js';
import type { WebhookMessage } from './webhook-message.js';

const RULES = `
interval: 10s
group_wait: 5s
group_interval: 30s
repeat_interval: 1h
receivers:
  - { name: ops, url: "http://127.0.0.1:9/hook" }
rules:
  - name: memory-high
    severity: warning
    metric: container_memory_working_set_bytes
    ratio_to: container_spec_memory_limit_bytes
    op: ">"
    threshold: 0.9
    for: 2m
    annotations: { summary: "{{ $labels.name }} uses {{ $value }} of its limit" }
  - { name: oom, event: oom, severity: critical, group_by: [alertname, name] }
  - { name: crash-loop, event: restart_loop, restarts: 3, within: 1m }
`;

class Fixture {
  readonly time = new ManualTime(Date.parse('2026-01-01T00:00:00Z'), 5);
  readonly events: NodeEvent[] = [];
  containers: ContainerMetrics[] = [];
  readonly sent: WebhookMessage[] = [];
  failing = false;
  attempts: number[] = [];
  saved: AlertState | undefined;
  readonly store: AlertStateStore = {
    load: () => Promise.resolve(this.saved === undefined ? undefined : structuredClone(this.saved)),
    save: (state) => { this.saved = structuredClone(state); return Promise.resolve(); },
  };

  open(rules = RULES): Promise<AlertRunner> {
    return AlertRunner.open({
      rules: parseAlertRules(rules, 'a.yaml'), store: this.store, clock: this.time, timers: this.time, log: () => undefined,
      events: { read: ({ afterSeq }) => this.events.filter((e) => e.seq > afterSeq), lastSeq: () => this.events.at(-1)?.seq ?? 0 },
      metrics: { read: () => Promise.resolve(this.containers) },
      post: (_url, body) => {
        this.attempts.push(this.time.now().getTime());
        if (this.failing) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9'));
        this.sent.push(body as WebhookMessage);
        return Promise.resolve();
      },
    });
  }

  event(action: string, id: string, name = id): void {
    this.events.push({
      seq: this.events.length + 1, type: 'container', action, scope: 'local',
      actor: { id, attributes: { name, image: 'busybox' } }, timeNano: BigInt(this.time.now().getTime()) * 1_000_000n,
    });
  }

  memory(id: string, used: number, limit = 100): void {
    this.containers = [{ container: { id, name: id, image: 'busybox' }, values: new Map([['container_memory_working_set_bytes', used], ['container_spec_memory_limit_bytes', limit]]) }];
  }
}

const summary = (m: WebhookMessage | undefined): unknown => m && [m.status, m.alerts.map((a) => `${a.labels.alertname}/${a.labels.name}:${a.status}`)];

describe('AlertRunner', () => {
  it('fires a metric rule only after `for`, once, and resolves it', async () => {
    const f = new Fixture();
    f.memory('web', 95);
    const runner = await f.open();
    await f.time.advance(60_000);
    assert.deepEqual(runner.list().map((a) => [a.Rule, a.Status, a.Delivery.State]), [['memory-high', 'pending', 'pending']]);
    assert.equal(f.sent.length, 0);
    await f.time.advance(70_000); // past 2m: firing, then group_wait
    assert.deepEqual(f.sent.map(summary), [['firing', ['memory-high/web:firing']]]);
    const message = f.sent[0];
    assert.ok(message !== undefined);
    assert.equal(message.version, '4');
    assert.equal(message.receiver, 'ops');
    assert.equal(message.groupKey, 'ops:{alertname="memory-high"}');
    assert.deepEqual(message.groupLabels, { alertname: 'memory-high' });
    const [alert] = message.alerts;
    assert.ok(alert !== undefined);
    assert.equal(alert.annotations.summary, 'web uses 0.95 of its limit');
    assert.equal(alert.endsAt, '0001-01-01T00:00:00Z');
    assert.match(alert.fingerprint, /^[0-9a-f]{16}$/);
    assert.equal(runner.list()[0]?.Delivery.State, 'delivered');
    await f.time.advance(10 * 60_000);
    assert.equal(f.sent.length, 1, 'a firing alert is not sent again before the repeat interval');
    f.memory('web', 50);
    await f.time.advance(40_000);
    assert.deepEqual(f.sent.map(summary).slice(1), [['resolved', ['memory-high/web:resolved']]]);
    assert.notEqual(f.sent[1]?.alerts[0]?.endsAt, '0001-01-01T00:00:00Z');
    assert.deepEqual(runner.list(), []);
    await runner.close();
  });

  it('repeats a firing group after repeat_interval', async () => {
    const f = new Fixture();
    const runner = await f.open();
    f.event('oom', 'c1', 'web');
    await f.time.advance(10_000);
    await f.time.advance(3_600_000);
    assert.deepEqual(f.sent.map(summary), [['firing', ['oom/web:firing']], ['firing', ['oom/web:firing']]]);
    await runner.close();
  });

  it('fires an OOM alert once however many oom events, and resolves it when the container starts again', async () => {
    const f = new Fixture();
    const runner = await f.open();
    f.event('oom', 'c1', 'web');
    f.event('die', 'c1', 'web');
    await f.time.advance(2000);
    f.event('oom', 'c1', 'web');
    await f.time.advance(60_000);
    assert.deepEqual(f.sent.map(summary), [['firing', ['oom/web:firing']]]);
    f.event('start', 'c1', 'web');
    await f.time.advance(60_000);
    assert.deepEqual(f.sent.map(summary).slice(1), [['resolved', ['oom/web:resolved']]]);
    await runner.close();
  });

  it('fires node_down with the node\'s labels when a manager records the node down, and resolves it when it is ready', async () => {
    const f = new Fixture();
    const runner = await f.open(`${RULES}  - { name: node-lost, event: node_down, severity: critical }\n`);
    const node = (state: string): void => {
      f.events.push({
        seq: f.events.length + 1, type: 'node', action: 'update', scope: 'swarm',
        actor: { id: 'n2', attributes: { name: 'worker-2', 'state.new': state } }, timeNano: BigInt(f.time.now().getTime()) * 1_000_000n,
      });
    };
    node('down');
    await f.time.advance(60_000);
    assert.deepEqual(f.sent.map((m) => [m.status, m.alerts.map((a) => a.labels)]), [
      ['firing', [{ alertname: 'node-lost', severity: 'critical', node_id: 'n2', node: 'worker-2' }]],
    ]);
    node('ready');
    await f.time.advance(60_000);
    assert.deepEqual(f.sent.slice(1).map((m) => [m.status, m.alerts.map((a) => a.status)]), [['resolved', ['resolved']]]);
    await runner.close();
  });

  it('does not notify again an alert that resolved and fired again before the group was due', async () => {
    const f = new Fixture();
    const runner = await f.open();
    f.event('oom', 'c1', 'web');
    await f.time.advance(10_000);
    f.event('start', 'c1', 'web');
    f.event('oom', 'c1', 'web');
    await f.time.advance(60_000);
    assert.deepEqual(f.sent.map(summary), [['firing', ['oom/web:firing']]]);
    await runner.close();
  });

  it('groups by the rule\'s group_by labels and waits group_wait for more', async () => {
    const f = new Fixture();
    const runner = await f.open(RULES.replace('group_by: [alertname, name]', 'group_by: [alertname]'));
    f.event('oom', 'c1', 'web');
    await f.time.advance(2000);
    f.event('oom', 'c2', 'db');
    await f.time.advance(10_000);
    assert.deepEqual(f.sent.map(summary), [['firing', ['oom/web:firing', 'oom/db:firing']]]);
    assert.deepEqual(f.sent[0]?.commonLabels, { alertname: 'oom', severity: 'critical', image: 'busybox' });
    await runner.close();
    const g = new Fixture();
    const split = await g.open();
    g.event('oom', 'c1', 'web');
    g.event('oom', 'c2', 'db');
    await g.time.advance(10_000);
    assert.deepEqual(g.sent.map(summary).sort(), [['firing', ['oom/db:firing']], ['firing', ['oom/web:firing']]]);
    await split.close();
  });

  it('counts a restart loop within its window, and resolves it when the window empties', async () => {
    const f = new Fixture();
    const runner = await f.open();
    for (let i = 0; i < 2; i++) {
      f.event('die', 'c1', 'flappy');
      await f.time.advance(25_000);
    }
    f.event('die', 'c1', 'flappy'); // third death, but the first one is 50 s old: within 1m
    await f.time.advance(10_000);
    assert.deepEqual(f.sent.map(summary), [['firing', ['crash-loop/flappy:firing']]]);
    await f.time.advance(120_000);
    assert.deepEqual(f.sent.map(summary).slice(1), [['resolved', ['crash-loop/flappy:resolved']]]);
    f.event('die', 'c2', 'slow');
    await f.time.advance(40_000);
    f.event('die', 'c2', 'slow');
    await f.time.advance(40_000);
    f.event('die', 'c2', 'slow'); // 3 deaths over 80 s: never 3 within 1m
    await f.time.advance(60_000);
    assert.equal(f.sent.length, 2);
    await runner.close();
  });

  it('retries an unreachable receiver with exponential backoff until it answers', async () => {
    const f = new Fixture();
    f.failing = true;
    const runner = await f.open();
    f.event('oom', 'c1', 'web');
    await f.time.advance(1000);
    const first = Date.parse('2026-01-01T00:00:05Z'); // the event's time + group_wait
    await f.time.advance(20_000);
    assert.deepEqual(f.attempts.map((t) => t - first), [0, 1000, 3000, 7000, 15_000]);
    const alert = runner.list()[0];
    assert.ok(alert !== undefined);
    assert.equal(alert.Delivery.State, 'retrying');
    assert.equal(alert.Delivery.Attempts, 5);
    assert.match(alert.Delivery.LastError ?? '', /ECONNREFUSED/);
    f.failing = false;
    await f.time.advance(20_000);
    assert.deepEqual(f.sent.map(summary), [['firing', ['oom/web:firing']]]);
    assert.equal(runner.list()[0]?.Delivery.State, 'delivered');
    f.failing = true;
    f.event('destroy', 'c1', 'web');
    await f.time.advance(5000);
    assert.deepEqual(runner.list().map((a) => [a.Rule, a.Status, a.Delivery.State]), [['oom', 'resolved', 'retrying']], 'a resolution not delivered yet is listed');
    f.failing = false;
    await f.time.advance(60_000);
    assert.deepEqual(runner.list(), []);
    await runner.close();
  });

  it('keeps one notification per group while a receiver is down, the newest, with what the older one carried', async () => {
    const f = new Fixture();
    f.failing = true;
    const runner = await f.open(RULES.replace('group_by: [alertname, name]', 'group_by: [alertname]'));
    f.event('oom', 'c1', 'web');
    await f.time.advance(10_000);
    f.event('destroy', 'c1', 'web');
    await f.time.advance(40_000);
    f.event('oom', 'c2', 'db');
    await f.time.advance(40_000);
    const queued = f.saved?.outbox ?? [];
    assert.equal(queued.length, 1);
    assert.ok((queued.at(0)?.attempts ?? 0) > 3, 'the replacement keeps the backoff');
    f.failing = false;
    await f.time.advance(300_000);
    assert.deepEqual(f.sent.map(summary), [['firing', ['oom/db:firing', 'oom/web:resolved']]]);
    await runner.close();
  });

  it('keeps alerts and unsent notifications across a restart and sends them then', async () => {
    const f = new Fixture();
    f.failing = true;
    const before = await f.open();
    f.event('oom', 'c1', 'web');
    await f.time.advance(10_000);
    await before.close();
    assert.equal(f.saved?.outbox.length, 1);
    f.failing = false;
    const after = await f.open();
    await f.time.advance(1000);
    assert.deepEqual(f.sent.map(summary), [['firing', ['oom/web:firing']]]);
    assert.deepEqual(after.list().map((a) => [a.Rule, a.Status, a.Delivery.State]), [['oom', 'firing', 'delivered']]);
    await f.time.advance(60_000);
    assert.equal(f.sent.length, 1, 'events read before the restart are not read again');
    f.event('destroy', 'c1', 'web');
    await f.time.advance(60_000);
    assert.deepEqual(f.sent.map(summary).slice(1), [['resolved', ['oom/web:resolved']]]);
    await after.close();
  });

  it('stops without waiting for a receiver that does not answer, keeping its notification', async () => {
    const f = new Fixture();
    const runner = await AlertRunner.open({
      rules: parseAlertRules(RULES, 'a.yaml'), store: f.store, clock: f.time, timers: f.time, log: () => undefined,
      events: { read: ({ afterSeq }) => f.events.filter((e) => e.seq > afterSeq), lastSeq: () => 0 },
      post: (_url, _body, _timeoutMs, signal) => new Promise((_resolve, reject) => { signal.addEventListener('abort', () => { reject(new Error('aborted')); }); }),
    });
    f.event('oom', 'c1', 'web');
    await f.time.advance(10_000);
    await runner.close();
    assert.deepEqual(f.saved?.outbox.map((item) => [item.status, item.attempts]), [['firing', 0]]);
  });

  it('resolves the alerts of a rule that a reload removed', async () => {
    const f = new Fixture();
    const runner = await f.open();
    f.event('oom', 'c1', 'web');
    await f.time.advance(10_000);
    runner.replaceRules(parseAlertRules(RULES.replace(/ {2}- \{ name: oom.*\n/, ''), 'a.yaml'));
    await f.time.advance(60_000);
    assert.deepEqual(f.sent.map(summary), [['firing', ['oom/web:firing']], ['resolved', ['oom/web:resolved']]]);
    await runner.close();
  });
});
