// berth's webhook body beside the one a real Alertmanager (Debian's prometheus-alertmanager, on
// 127.0.0.1 with its own config) sends for the same alert: the same fields with the same types,
// the same fingerprint, the same group labels, firing and resolved. The alert is posted to
// Alertmanager's /api/v2/alerts; both bodies reach a node:http receiver of this test.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprintOf } from '../../../src/alerts/fingerprint.js';
import { webhookMessage } from '../../../src/alerts/webhook-message.js';
import type { AlertEntry } from '../../../src/alerts/alert-state.js';
import { eventually } from '../runtime/runtime-fixtures.js';
import { freePort, TestProcess } from '../metrics/metrics-fixtures.js';

const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';
const skip = existsSync(ALERTMANAGER) ? false : `${ALERTMANAGER} is not installed (scripts/install.sh --test installs Debian's prometheus-alertmanager)`;

type Body = Record<string, unknown> & { status: string; groupKey: string; groupLabels: unknown; commonLabels: unknown; alerts: Record<string, unknown>[] };

/** Each key with the JSON type of its value, nested objects' keys included: the shape of a body. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (typeof value !== 'object' || value === null) return typeof value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, typeof v === 'object' && v !== null && !Array.isArray(v) && ['labels', 'annotations', 'groupLabels', 'commonLabels', 'commonAnnotations'].includes(k) ? 'labels' : shapeOf(v)]));
}

describe('berth\'s webhook beside Alertmanager\'s', { skip }, () => {
  let work: string;
  let server: Server;
  let alertmanager: TestProcess | undefined;
  let amUrl: string;
  const received: Body[] = [];
  const labels = { alertname: 'oom-killed', severity: 'critical', name: 'web', image: 'busybox', container_id: '4f1c9e' };

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-alertmanager-'));
    server = createServer((req, res) => {
      let text = '';
      req.setEncoding('utf8').on('data', (c: string) => { text += c; }).on('end', () => {
        received.push(JSON.parse(text) as Body);
        res.writeHead(200).end();
      });
    });
    const hookPort = await freePort();
    await new Promise<void>((resolve) => { server.listen(hookPort, '127.0.0.1', resolve); });
    const config = join(work, 'alertmanager.yml');
    await writeFile(config, [
      'route:', '  receiver: hook', '  group_by: [alertname]', '  group_wait: 0s', '  group_interval: 1s', '  repeat_interval: 1h',
      'receivers:', '  - name: hook', '    webhook_configs:', `      - url: http://127.0.0.1:${hookPort}/hook`, '        send_resolved: true', '',
    ].join('\n'));
    const port = await freePort();
    amUrl = `http://127.0.0.1:${port}`;
    alertmanager = new TestProcess(spawn(ALERTMANAGER, [
      `--config.file=${config}`, `--storage.path=${join(work, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn',
    ], { stdio: ['ignore', 'pipe', 'pipe'] }));
    await eventually('Alertmanager to be ready', async () => {
      if (alertmanager?.running !== true) throw new Error(`alertmanager exited: ${alertmanager?.output.join('') ?? ''}`);
      return (await fetch(`${amUrl}/-/ready`).catch(() => undefined))?.status === 200;
    }, 30_000);
  });
  after(async () => {
    await alertmanager?.stop();
    server.closeAllConnections();
    await new Promise((resolve) => { server.close(resolve); });
    await rm(work, { recursive: true, force: true });
  });

  const post = async (alert: Record<string, unknown>): Promise<void> => {
    const answer = await fetch(`${amUrl}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([alert]) });
    assert.equal(answer.status, 200, await answer.text());
  };

  test('firing and resolved notifications have Alertmanager\'s fields, types, fingerprint and group labels', async () => {
    const startsAt = Date.now() - 1000;
    await post({ labels, annotations: { summary: 'web was OOM-killed' }, startsAt: new Date(startsAt).toISOString() });
    await eventually('Alertmanager\'s firing notification', () => received.some((b) => b.status === 'firing'), 30_000);
    const endsAt = Date.now();
    await post({ labels, annotations: { summary: 'web was OOM-killed' }, startsAt: new Date(startsAt).toISOString(), endsAt: new Date(endsAt).toISOString() });
    await eventually('Alertmanager\'s resolved notification', () => received.some((b) => b.status === 'resolved'), 30_000);

    const entry: AlertEntry = {
      fingerprint: fingerprintOf(labels), rule: 'oom-killed', group: 'hook:{alertname="oom-killed"}', labels, annotations: { summary: 'web was OOM-killed' },
      status: 'firing', activeAt: startsAt, startsAt,
    };
    const options = { receiver: 'hook', groupKey: entry.group, groupLabels: { alertname: 'oom-killed' }, maxAlerts: 0 };
    const ours = {
      firing: webhookMessage([entry], options) as unknown as Body,
      resolved: webhookMessage([{ ...entry, status: 'resolved', endsAt }], options) as unknown as Body,
    };
    for (const status of ['firing', 'resolved'] as const) {
      const theirs = received.find((b) => b.status === status);
      assert.ok(theirs !== undefined);
      const mine = ours[status];
      assert.deepEqual(shapeOf(mine), shapeOf(theirs), `${status}: the same fields with the same types`);
      assert.equal(mine.version, theirs.version);
      assert.equal(mine.receiver, theirs.receiver);
      assert.deepEqual(mine.groupLabels, theirs.groupLabels);
      assert.deepEqual(mine.commonLabels, theirs.commonLabels);
      assert.equal(mine.groupKey.slice(mine.groupKey.indexOf(':')), theirs.groupKey.slice(theirs.groupKey.indexOf(':')), 'the group labels part of the group key');
      const [m, t] = [mine.alerts[0], theirs.alerts[0]];
      assert.ok(m !== undefined && t !== undefined);
      assert.equal(m.fingerprint, t.fingerprint, 'the fingerprint of the same labels');
      assert.equal(m.status, t.status);
      assert.equal(Date.parse(String(m.startsAt)), Date.parse(String(t.startsAt)));
      if (status === 'firing') assert.equal(m.endsAt, t.endsAt, 'a firing alert ends at Go\'s zero time');
      else assert.equal(Date.parse(String(m.endsAt)), Date.parse(String(t.endsAt)));
    }
  });
});
