import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DETECTION_RULES, detectionRulesSummary, loadDetectionRules, parseDetectionRules, watchedPaths } from './detection-rules.js';

describe('parseDetectionRules', () => {
  it('reads rules with their defaults and compiles image exceptions', () => {
    const rules = parseDetectionRules([
      'rules:',
      '  - { name: shell, on: exec, programs: [sh, bash], spawned_by_workload: true, except_images: ["registry:5000/debug-*"] }',
      '  - { name: shadow, on: open, paths: [/etc/shadow], action: kill, severity: critical }',
      '  - { name: raw, on: socket, socket_kinds: [raw] }',
    ].join('\n'), 'r.yaml');
    assert.deepEqual(rules.rules.map((r) => [r.name, r.on, r.action, r.severity]), [
      ['shell', 'exec', 'alert', 'warning'], ['shadow', 'open', 'kill', 'critical'], ['raw', 'socket', 'alert', 'warning'],
    ]);
    assert.ok(rules.rules[0]?.exceptImages[0]?.test('registry:5000/debug-tools'));
    assert.ok(!rules.rules[0]?.exceptImages[0]?.test('registry:5000/app'));
    assert.equal(detectionRulesSummary(rules), '3 rules (exec 1, open 1, write 0, ptrace 0, socket 1)');
  });

  it('names the file, line, rule and field of an error', () => {
    const text = 'rules:\n  - name: ok\n    on: ptrace\n  - name: bad\n    on: exec\n    action: explode\n';
    assert.throws(() => parseDetectionRules(text, 'r.yaml'), {
      reason: 'invalid-detection-rules',
      message: 'r.yaml:6: rule "bad" (rules[1]): field action: Invalid option: expected one of "alert"|"pause"|"kill"',
    });
  });

  it('refuses a condition that does not belong to the rule\'s source', () => {
    assert.throws(() => parseDetectionRules('rules:\n  - name: w\n    on: write\n    programs: [sh]\n', 'r.yaml'), {
      message: 'r.yaml:4: rule "w" (rules[0]): field programs: only for rules on exec (this one is on write)',
    });
    assert.throws(() => parseDetectionRules('rules:\n  - name: d\n    on: exec\n    not_in_image: true\n    spawned_by_workload: true\n', 'r.yaml'), {
      message: /r\.yaml:5: rule "d" \(rules\[0\]\): field spawned_by_workload: not with not_in_image/,
    });
  });

  it('refuses twice the same name, unknown fields, relative paths and bad YAML', () => {
    assert.throws(() => parseDetectionRules('rules:\n  - { name: a, on: ptrace }\n  - { name: a, on: ptrace }\n', 'r.yaml'), { message: /r\.yaml:3: rule "a" \(rules\[1\]\): field name: "a" is also an earlier rule's name/ });
    assert.throws(() => parseDetectionRules('rules:\n  - { name: a, on: ptrace, colour: red }\n', 'r.yaml'), { message: /rule "a" \(rules\[0\]\): .*colour/ });
    assert.throws(() => parseDetectionRules('rules:\n  - { name: a, on: open, paths: [etc/shadow] }\n', 'r.yaml'), { message: /field paths\[0\]: want an absolute path/ });
    assert.throws(() => parseDetectionRules('rules: [\n', 'r.yaml'), { message: /^r\.yaml:\d+: not valid YAML/ });
  });

  it('collects the paths to watch for opens and writes', () => {
    const rules = parseDetectionRules([
      'rules:',
      '  - { name: a, on: open, paths: [/etc/shadow, /root/.ssh] }',
      '  - { name: b, on: open, paths: [/etc/shadow] }',
      '  - { name: c, on: write, paths: [/usr, /etc] }',
    ].join('\n'), 'r.yaml');
    assert.deepEqual(watchedPaths(rules), { reads: ['/etc/shadow', '/root/.ssh'], writes: ['/etc', '/usr'] });
  });

  it('reads the default rules berth ships', async () => {
    const rules = await loadDetectionRules(DEFAULT_DETECTION_RULES);
    assert.deepEqual(rules.rules.map((r) => r.name), [
      'shell_spawned', 'reverse_shell', 'drift_binary', 'exec_from_memory', 'package_manager', 'sensitive_file_read', 'system_dir_write', 'raw_socket', 'ptrace_attach',
    ]);
    assert.ok(rules.rules.every((r) => r.action === 'alert'));
  });

  it('names a file it cannot read', async () => {
    await assert.rejects(loadDetectionRules('/nonexistent/rules.yaml'), { reason: 'invalid-detection-rules', message: /detection rules \/nonexistent\/rules\.yaml: .*ENOENT/ });
  });
});
