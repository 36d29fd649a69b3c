import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeEvent } from '../events/event-types.js';
import { parseAlertRules } from './alert-rules-file.js';
import { expiredLoops, judgeEvent } from './event-conditions.js';
import { fingerprintOf } from './fingerprint.js';

const rules = parseAlertRules([
  'receivers: [{ name: ops, url: "http://127.0.0.1:9/" }]', 'rules:',
  '  - { name: sick, event: unhealthy }', '  - { name: oom, event: oom }', '  - { name: loop, event: restart_loop, restarts: 2, within: 10s }',
  '  - { name: lost, event: node_down }', '  - { name: threat, event: detection }',
].join('\n'), 'a.yaml').rules;
const [sick, oom, loop, lost, threat] = rules;

function event(action: string, atMs = 0, type: NodeEvent['type'] = 'container'): NodeEvent {
  return { seq: 1, type, action, scope: 'local', actor: { id: 'c1', attributes: { name: '/web', image: 'busybox' } }, timeNano: BigInt(atMs) * 1_000_000n };
}

describe('judgeEvent', () => {
  it('fires on health turning unhealthy and resolves on healthy, a start or removal', () => {
    assert.ok(sick !== undefined);
    const windows = {};
    assert.deepEqual(judgeEvent(sick, event('health_status: unhealthy'), windows), { kind: 'fire', container: { id: 'c1', name: 'web', image: 'busybox' } });
    for (const action of ['health_status: healthy', 'start', 'destroy']) assert.equal(judgeEvent(sick, event(action), windows)?.kind, 'resolve');
    assert.equal(judgeEvent(sick, event('die'), windows), undefined);
    assert.equal(judgeEvent(sick, event('health_status: unhealthy', 0, 'image'), windows), undefined);
  });

  it('node_down fires on a node turning down and resolves when it is ready again or removed', () => {
    assert.ok(lost !== undefined);
    const node = (action: string, attributes: Record<string, string>): NodeEvent => ({
      seq: 1, type: 'node', action, scope: 'swarm', actor: { id: 'n1', attributes: { name: 'worker-2', ...attributes } }, timeNano: 0n,
    });
    assert.deepEqual(judgeEvent(lost, node('update', { 'state.old': 'ready', 'state.new': 'down' }), {}), { kind: 'fire', container: { id: 'n1', name: 'worker-2', image: '' } });
    assert.equal(judgeEvent(lost, node('update', { 'state.old': 'down', 'state.new': 'ready' }), {})?.kind, 'resolve');
    assert.equal(judgeEvent(lost, node('remove', {}), {})?.kind, 'resolve');
    assert.equal(judgeEvent(lost, node('update', { 'availability.new': 'drain' }), {}), undefined);
    assert.equal(judgeEvent(lost, event('die'), {}), undefined, 'container events are not node events');
  });

  it('detection fires on any detection event of a container and resolves on its removal', () => {
    assert.ok(threat !== undefined);
    assert.equal(judgeEvent(threat, event('detection: shell_spawned'), {})?.kind, 'fire');
    assert.equal(judgeEvent(threat, event('detection: raw_socket'), {})?.kind, 'fire');
    assert.equal(judgeEvent(threat, event('destroy'), {})?.kind, 'resolve');
    assert.equal(judgeEvent(threat, event('start'), {}), undefined);
    assert.equal(judgeEvent(threat, event('exec_start: sh'), {}), undefined);
  });

  it('fires on an oom event only', () => {
    assert.ok(oom !== undefined);
    assert.equal(judgeEvent(oom, event('oom'), {})?.kind, 'fire');
    assert.equal(judgeEvent(oom, event('die'), {}), undefined);
    assert.equal(judgeEvent(oom, event('health_status: unhealthy'), {}), undefined);
  });

  it('counts deaths within the window, forgets them on removal, and reports windows that emptied', () => {
    assert.ok(loop !== undefined);
    const windows: Record<string, number[]> = {};
    assert.equal(judgeEvent(loop, event('die', 0), windows), undefined);
    assert.equal(judgeEvent(loop, event('die', 10_000), windows), undefined, 'the first death left the window');
    assert.equal(judgeEvent(loop, event('die', 15_000), windows)?.kind, 'fire');
    assert.deepEqual(expiredLoops(loop, windows, 19_000), []);
    assert.deepEqual(expiredLoops(loop, windows, 21_000), ['c1']);
    judgeEvent(loop, event('destroy', 22_000), windows);
    assert.deepEqual(windows, { 'loop/c1': [] });
  });
});

describe('fingerprintOf', () => {
  it('is the label signature Alertmanager computes', () => {
    // prometheus/common model.LabelsToSignature's test values.
    assert.equal(fingerprintOf({}), (14695981039346656037n).toString(16));
    assert.equal(fingerprintOf({ name: 'garland, briggs', fear: 'love is not enough' }), (5799056148416392346n).toString(16).padStart(16, '0'));
  });
});
