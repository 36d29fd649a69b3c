import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding, ScanReport } from './security.js';
import { formatTable, toSarif } from './scan-report-formats.js';

const finding = (id: string, severity: Finding['severity'], aliases: string[] = []): Finding => ({
  id, aliases, severity, package: { name: 'lodash', version: '4.17.20', ecosystem: 'npm', purl: 'pkg:npm/lodash@4.17.20', locations: ['app/package-lock.json'] }, fixedVersion: '4.17.21',
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
