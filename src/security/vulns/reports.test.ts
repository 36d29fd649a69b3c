import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBerthError } from '../../base/errors.js';
import { downloadOsvArchives } from './db-update.js';
import type { Finding, ScanReport } from '../../wire/security.js';
import { applyIgnores, readIgnoreFile } from './ignore-file.js';
import { formatTable, toSarif } from './report-formats.js';
import { severityOf } from './severity.js';

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

test('severity: affected vector, then record vector, then database_specific words', () => {
  const base = { id: 'X', modified: '2024-01-01T00:00:00Z' };
  assert.deepEqual(severityOf({ ...base, severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] }, {}), { severity: 'CRITICAL', score: 9.8 });
  assert.deepEqual(severityOf({ ...base, database_specific: { severity: 'MODERATE' } }, {}), { severity: 'MEDIUM' });
  assert.deepEqual(severityOf(base, { ecosystem_specific: { severity: 'LOW' } }), { severity: 'LOW' });
  assert.deepEqual(severityOf({ ...base, severity: [{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N' }] }, {}), { severity: 'UNKNOWN' });
});

test('table and SARIF leave ignored findings out', () => {
  const findings = [finding('GHSA-1', 'HIGH'), { ...finding('GHSA-2', 'LOW'), ignored: { reason: 'x' } }];
  const report: ScanReport = { subject: 'img', databaseGeneration: 1, packages: 1, findings, warnings: [] };
  const table = formatTable(report);
  assert.match(table, /1 vulnerabilities, 1 ignored/);
  assert.match(table, /^lodash\s+4\.17\.20\s+4\.17\.21\s+GHSA-1\s+HIGH/m);
  assert.doesNotMatch(table, /GHSA-2/);
  const sarif = toSarif(report) as { runs: { results: unknown[]; tool: { driver: { rules: unknown[] } } }[] };
  assert.equal(sarif.runs[0]?.results.length, 1);
  assert.equal(sarif.runs[0].tool.driver.rules.length, 1);
});

test('db update without a network is a clear unavailable error', async () => {
  const offline = (): Promise<Response> => Promise.reject(new TypeError('fetch failed'));
  await assert.rejects(downloadOsvArchives(['npm'], tmpdir(), { fetch: offline }), (e: unknown) => {
    assert.ok(isBerthError(e, 'unavailable'));
    assert.equal(e.reason, 'osv-unreachable');
    assert.match(e.message, /berth scan db import/);
    return true;
  });
});
