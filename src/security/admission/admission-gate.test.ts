import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PolicyEntry } from '../audit/index.js';
import { AdmissionGate } from './admission-gate.js';
import { imageAdmission, imageFacts } from './admission-facts.js';
import type { AdmissionRequest } from './admission-request.js';
import { parsePolicy } from './policy-file.js';

const POLICY = parsePolicy(`rules:
  - { kind: no-privileged, mode: enforce }
  - { kind: no-latest, mode: warn }
  - { kind: capabilities, mode: audit, allow: [] }
  - { kind: vulnerabilities, mode: enforce, severity: HIGH, unscanned: refuse, match: "docker.io/fixture/*" }
`, 'p.yaml');

function request(image: string, options: { privileged?: boolean; capAdd?: string[] } = {}): AdmissionRequest {
  return {
    operation: 'create', image: imageFacts('Image', image),
    container: { privileged: options.privileged ?? false, hostNamespaces: [], binds: [], capAdd: options.capAdd ?? [], user: 'app', memory: 1, labels: {} },
  };
}

function gate(): { gate: AdmissionGate; logged: string[]; recorded: PolicyEntry[] } {
  const logged: string[] = [];
  const recorded: PolicyEntry[] = [];
  const g = new AdmissionGate({ policy: POLICY, log: (line) => logged.push(line), audit: { append: (entry) => { recorded.push(entry); return Promise.resolve(); } } });
  return { gate: g, logged, recorded };
}

describe('AdmissionGate', () => {
  it('refuses with permission-denied naming every enforce rule; logs and records every violation', async () => {
    const { gate: g, logged, recorded } = gate();
    await assert.rejects(g.admit(request('busybox', { privileged: true, capAdd: ['SYS_ADMIN'] })), {
      kind: 'permission-denied', reason: 'policy-violation', message: 'policy rule "no-privileged" (enforce): HostConfig.Privileged is true',
    });
    assert.equal(logged.length, 3);
    assert.equal(logged[0], 'create "busybox": policy rule "no-privileged" (enforce): HostConfig.Privileged is true');
    assert.deepEqual(recorded.map((r) => [r.decision, r.violations.length]), [['refused', 3]]);
  });

  it('allows warn and audit violations, answering the warnings only', async () => {
    const { gate: g, recorded } = gate();
    assert.deepEqual(await g.admit(request('busybox:latest', { capAdd: ['SYS_ADMIN'] })), ['policy rule "no-latest" (warn): Image "busybox:latest" has the tag latest']);
    assert.deepEqual(await g.admit(request('busybox:1', { capAdd: ['SYS_ADMIN'] })), []);
    assert.deepEqual(await g.admit(request('busybox:1')), []);
    assert.deepEqual(recorded.map((r) => r.decision), ['warned', 'audited']);
  });

  it('without a scanner, an image a vulnerabilities rule applies to is unscanned', async () => {
    const { gate: g } = gate();
    await assert.rejects(g.admit(request('fixture/app:1'), { imageId: `sha256:${'a'.repeat(64)}` }), /"fixture\/app:1" has not been scanned for vulnerabilities/);
    assert.deepEqual(await g.admit(imageAdmission('pull', 'fixture/app:1'), { only: 'reference' }), []);
  });

  it('replace swaps the policy; an empty policy allows everything', async () => {
    const { gate: g } = gate();
    g.replace(parsePolicy('rules: []\n', 'empty.yaml'));
    assert.equal(g.active, false);
    assert.deepEqual(await g.admit(request('busybox', { privileged: true })), []);
  });
});
