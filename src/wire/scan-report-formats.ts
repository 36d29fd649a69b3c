/**
 * A scan report rendered for people and tools: the table of `berth scan` and SARIF 2.1.0, which
 * berthd answers with `format=sarif` and `berth scan --format sarif` writes. Pure; both sides use it.
 */
import { BERTH_VERSION } from '../base/version.js';
import type { Finding, ScanReport } from './security.js';

const short = (digest: string): string => (digest.startsWith('sha256:') ? digest.slice(7, 19) : digest);

/** The findings as a table, highest severity first (ignored findings are left out). */
export function formatTable(report: ScanReport): string {
  const rows = report.findings.filter((f) => !f.ignored).map((f) => [
    f.package.name, f.package.version, f.fixedVersion ?? '', f.id, f.score === undefined ? f.severity : `${f.severity} (${f.score.toFixed(1)})`,
    f.layer ? `${f.layer.index} ${short(f.layer.diffId)}` : '',
  ]);
  const header = ['PACKAGE', 'INSTALLED', 'FIXED', 'ADVISORY', 'SEVERITY', 'LAYER'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const ignored = report.findings.length - rows.length;
  const summary = `${report.subject}${report.distro !== undefined ? ` (${report.distro})` : ''}: ${report.packages} packages, ${rows.length} vulnerabilities${ignored > 0 ? `, ${ignored} ignored` : ''}`;
  return [summary, ...(rows.length > 0 ? [line(header), ...rows.map(line)] : [])].join('\n') + '\n';
}

function level(f: Finding): 'error' | 'warning' | 'note' {
  return f.severity === 'CRITICAL' || f.severity === 'HIGH' ? 'error' : f.severity === 'MEDIUM' ? 'warning' : 'note';
}

/** A SARIF 2.1.0 log: one rule per advisory, one result per (advisory, package). */
export function toSarif(report: ScanReport): object {
  const findings = report.findings.filter((f) => !f.ignored);
  const ruleIds = [...new Set(findings.map((f) => f.id))];
  const rules = ruleIds.map((id) => {
    const f = findings.find((x) => x.id === id);
    return {
      id,
      shortDescription: { text: f?.summary ?? id },
      helpUri: `https://osv.dev/vulnerability/${encodeURIComponent(id)}`,
      properties: { 'security-severity': (f?.score ?? ({ CRITICAL: 9.5, HIGH: 8, MEDIUM: 5.5, LOW: 2, UNKNOWN: 0 } as const)[f?.severity ?? 'UNKNOWN']).toFixed(1), tags: ['security', 'vulnerability'] },
    };
  });
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{
      tool: { driver: { name: 'berth', version: BERTH_VERSION, informationUri: 'https://osv.dev', rules } },
      results: findings.map((f) => ({
        ruleId: f.id,
        ruleIndex: ruleIds.indexOf(f.id),
        level: level(f),
        message: { text: `${f.package.name} ${f.package.version} is affected by ${f.id} (${f.severity})${f.fixedVersion !== undefined ? `; fixed in ${f.fixedVersion}` : '; no fix yet'}` },
        locations: [{ physicalLocation: { artifactLocation: { uri: f.package.locations[0] ?? report.subject } }, logicalLocations: [{ name: report.subject, kind: 'module' }] }],
        properties: { purl: f.package.purl, ...(f.layer && { layer: f.layer.diffId }) },
      })),
    }],
  };
}
