import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAlertRules } from './alert-rules-file.js';

const RECEIVERS = 'receivers:\n  - name: ops\n    url: http://127.0.0.1:9/hook\n';

describe('parseAlertRules', () => {
  it('reads metric and event rules with their defaults', () => {
    const rules = parseAlertRules([
      'interval: 5s', 'group_wait: 1s', RECEIVERS.trimEnd(), 'rules:',
      '  - name: memory-high', '    severity: warning', '    metric: container_memory_working_set_bytes', '    ratio_to: container_spec_memory_limit_bytes',
      '    op: ">"', '    threshold: 0.9', '    for: 2m', '    labels: { team: web }', '    group_by: [alertname, name]',
      '  - { name: oom, event: oom, severity: critical }',
      '  - { name: crash-loop, event: restart_loop, restarts: 3, within: 5m }',
    ].join('\n'), 'a.yaml');
    assert.equal(rules.intervalMs, 5000);
    assert.equal(rules.groupWaitMs, 1000);
    assert.equal(rules.repeatIntervalMs, 4 * 3_600_000);
    assert.deepEqual(rules.rules.map((r) => [r.name, r.receiver, r.group_by, r.severity]), [
      ['memory-high', 'ops', ['alertname', 'name'], 'warning'], ['oom', 'ops', ['alertname'], 'critical'], ['crash-loop', 'ops', ['alertname'], 'warning'],
    ]);
    assert.equal(rules.rules[0]?.for, 120_000);
    assert.equal(rules.rules[2]?.within, 300_000);
  });

  it('names the file, line, rule and field of an error', () => {
    const text = `${RECEIVERS}rules:\n  - name: oom\n    event: oom\n  - name: memory-high\n    metric: container_memory_working_set_bytes\n    op: "=>"\n    threshold: 1\n`;
    assert.throws(() => parseAlertRules(text, 'a.yaml'), {
      kind: 'invalid-argument', reason: 'invalid-alert-rules',
      message: 'a.yaml:9: rule "memory-high" (rules[1]): field op: Invalid option: expected one of ">"|">="|"<"|"<="|"=="|"!="',
    });
  });

  it('names a rule by its index without a name, and the missing parts of a condition', () => {
    assert.throws(() => parseAlertRules(`${RECEIVERS}rules:\n  - event: oom\n`, 'a.yaml'), /^BerthError: a\.yaml:5: rule rules\[0\]: field name: /);
    assert.throws(() => parseAlertRules(`${RECEIVERS}rules:\n  - name: m\n    metric: container_processes\n    op: ">"\n`, 'a.yaml'), /a\.yaml:5: rule "m" \(rules\[0\]\): field threshold: want a number/);
    assert.throws(() => parseAlertRules(`${RECEIVERS}rules:\n  - name: loop\n    event: restart_loop\n    within: 5m\n`, 'a.yaml'), /rule "loop" \(rules\[0\]\): field restarts: restart_loop wants restarts/);
    assert.throws(() => parseAlertRules(`${RECEIVERS}rules:\n  - name: both\n    event: oom\n    metric: container_processes\n`, 'a.yaml'), /rule "both" \(rules\[0\]\): field metric: a rule has either metric or event/);
    assert.throws(() => parseAlertRules(`${RECEIVERS}rules:\n  - name: m\n    event: oom\n    for: soon\n`, 'a.yaml'), /a\.yaml:7: rule "m" \(rules\[0\]\): field for: "soon" is not a duration/);
    assert.throws(() => parseAlertRules(`${RECEIVERS}rules:\n  - name: m\n    event: oom\n    colour: red\n`, 'a.yaml'), /a\.yaml:5: rule "m" \(rules\[0\]\): .*colour/);
  });

  it('refuses an unknown receiver, a repeated rule name, a bad URL and bad YAML', () => {
    assert.throws(() => parseAlertRules(`${RECEIVERS}rules:\n  - { name: a, event: oom, receiver: pager }\n`, 'a.yaml'), /a\.yaml:5: rule "a" \(rules\[0\]\): field receiver: no receiver is named "pager" \(want one of ops\)/);
    assert.throws(() => parseAlertRules(`${RECEIVERS}rules:\n  - { name: a, event: oom }\n  - { name: a, event: unhealthy }\n`, 'a.yaml'), /a\.yaml:6: rule "a" \(rules\[1\]\): field name: "a" is also an earlier rule's name/);
    assert.throws(() => parseAlertRules('receivers:\n  - name: ops\n    url: ftp://x/\nrules: []\n', 'a.yaml'), /a\.yaml:3: receiver "ops" \(receivers\[0\]\): field url: want an http/);
    const unknownMetric = `${RECEIVERS}rules:\n  - name: m\n    metric: container_memory_working_set_bytes\n    ratio_to: container_memory_limit\n    op: ">"\n    threshold: 1\n`;
    assert.throws(() => parseAlertRules(unknownMetric, 'a.yaml', { metrics: ['container_memory_working_set_bytes', 'container_spec_memory_limit_bytes'] }),
      /a\.yaml:7: rule "m" \(rules\[0\]\): field ratio_to: "container_memory_limit" is not a per-container metric of berthd/);
    assert.equal(parseAlertRules(unknownMetric, 'a.yaml').rules.length, 1, 'any container_* name without a list');
    assert.throws(() => parseAlertRules('rules: [\n', 'a.yaml'), /a\.yaml:\d+: not valid YAML/);
    assert.throws(() => parseAlertRules('rules: []\n', 'a.yaml'), /a\.yaml(:1)?: field receivers: /);
  });
});
