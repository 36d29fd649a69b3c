import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBerthError } from '../base/errors.js';
import type { Finding } from '../wire/security.js';
import { applyIgnores, readIgnoreFile } from './scan-ignore-file.js';

const finding = (id: string, severity: Finding['severity'], aliases: string[] = []): Finding => ({
  id, aliases, severity, package: { name: 'lodash', version: '4.17.20', ecosystem: 'npm', purl: 'pkg:npm/lodash@4.17.20', locations: ['app/package-lock.json'] }, fixedVersion: '4.17.21',
});

test('ignore entries match ids and aliases; expired ones ignore nothing', () => {
  const findings = [finding('GHSA-1', 'HIGH', ['CVE-2021-1']), finding('GHSA-2', 'LOW'), finding('GHSA-3', 'LOW')];
  const { expired } = applyIgnores(findings, [{ id: 'CVE-2021-1', reason: 'r' }, { id: 'GHSA-2', expires: '2020-01-01' }, { id: 'GHSA-3', package: 'other' }], new Date('2025-01-01'));
  assert.deepEqual(findings.map((f) => f.ignored !== undefined), [true, false, false]);
  assert.deepEqual(expired.map((e) => e.id), ['GHSA-2']);
});

test('ignore files: YAML or JSON, list or {ignore}; invalid ones name the field', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-ignore-'));
  try {
    await writeFile(join(dir, 'a.json'), '[{"id": "X", "reason": "why"}]');
    await writeFile(join(dir, 'b.yaml'), 'ignore:\n  - id: Y\n    expires: 2030-01-01\n');
    await writeFile(join(dir, 'c.yaml'), 'ignore:\n  - reason: no id\n');
    assert.deepEqual(await readIgnoreFile(join(dir, 'a.json')), [{ id: 'X', reason: 'why' }]);
    assert.deepEqual((await readIgnoreFile(join(dir, 'b.yaml')))[0]?.id, 'Y');
    await assert.rejects(readIgnoreFile(join(dir, 'c.yaml')), /field ignore\.0\.id/);
    await assert.rejects(readIgnoreFile(join(dir, 'none.yaml')), (e: unknown) => isBerthError(e, 'not-found'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
