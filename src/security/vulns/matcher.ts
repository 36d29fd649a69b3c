import type { ImageInventory, InventoryPackage } from '../sbom/package-types.js';
import { severityRank } from './cvss.js';
import type { Finding } from '../../wire/security.js';
import { evaluateAffected } from './osv-match.js';
import type { OsvRecord } from './osv-schema.js';
import { severityOf } from './severity.js';
import { comparatorFor } from './versions/ecosystem-versions.js';
import type { VulnDatabase } from './vuln-database.js';

interface Query { ecosystem: string; release?: string; name: string; version: string }

const RPM_DISTROS: Record<string, string> = { rhel: 'Red Hat', rocky: 'Rocky Linux', almalinux: 'AlmaLinux', opensuse: 'openSUSE', 'opensuse-leap': 'openSUSE', sles: 'SUSE', mageia: 'Mageia' };

/**
 * The OSV keys a package is looked up by. Distro advisories are keyed by SOURCE package and
 * its version (Debian's and Alpine's OSV data name source packages) and by the distro release.
 */
function queriesFor(pkg: InventoryPackage, distro: ImageInventory['distro']): Query[] {
  switch (pkg.ecosystem) {
    case 'deb': {
      const eco = distro?.id === 'ubuntu' ? 'Ubuntu' : 'Debian';
      const release = eco === 'Ubuntu' ? distro?.versionId : distro?.versionId.split('.')[0];
      return [{ ecosystem: eco, ...(release !== undefined && release !== '' && { release }), name: pkg.source?.name ?? pkg.name, version: pkg.source?.version ?? pkg.version }];
    }
    case 'apk': {
      const mm = /^(\d+\.\d+)/.exec(distro?.versionId ?? '');
      return [{ ecosystem: 'Alpine', ...(mm && { release: `v${mm[1] ?? ''}` }), name: pkg.source?.name ?? pkg.name, version: pkg.version }];
    }
    case 'rpm': {
      const eco = RPM_DISTROS[distro?.id ?? ''];
      if (eco === undefined) return [];
      const version = pkg.epoch ? `${pkg.epoch}:${pkg.version}` : pkg.version;
      const names = new Set([pkg.name, pkg.source?.name ?? pkg.name]);
      return [...names].map((name) => ({ ecosystem: eco, name, version }));
    }
    case 'npm': return [{ ecosystem: 'npm', name: pkg.name, version: pkg.version }];
    case 'pypi': return [{ ecosystem: 'PyPI', name: pkg.name, version: pkg.version }];
    case 'golang': return [{ ecosystem: 'Go', name: pkg.name, version: pkg.version }];
    case 'maven': return [{ ecosystem: 'Maven', name: `${pkg.namespace ?? ''}:${pkg.name}`, version: pkg.version }];
  }
}

/** Whether an affected entry's ecosystem (`Debian:12`, `Alpine:v3.19`, `Ubuntu:22.04:LTS`) fits the query. */
function ecosystemFits(affectedEcosystem: string, query: Query): boolean {
  const [base, ...rest] = affectedEcosystem.split(':');
  if (base !== query.ecosystem) return false;
  const release = rest.join(':');
  if (release === '' || query.release === undefined) return true;
  return release === query.release || release.startsWith(`${query.release}:`);
}

/**
 * Every finding for an inventory: each package's records from the database, each affected
 * entry that names the package in a fitting ecosystem release, evaluated with that ecosystem's
 * version order. Withdrawn records are skipped. Sorted by severity (highest first), then package.
 */
export function matchInventory(inventory: ImageInventory, db: VulnDatabase): Finding[] {
  const findings: Finding[] = [];
  const cache = new Map<string, OsvRecord[]>();
  for (const pkg of inventory.packages) {
    const seen = new Set<string>();
    for (const query of queriesFor(pkg, inventory.distro)) {
      const compare = comparatorFor(query.ecosystem);
      if (compare === undefined) continue;
      const key = `${query.ecosystem}\0${query.name}`;
      const records = cache.get(key) ?? db.recordsFor(query.ecosystem, query.name);
      cache.set(key, records);
      for (const record of records) {
        if (record.withdrawn !== undefined || seen.has(record.id)) continue;
        for (const affected of record.affected ?? []) {
          const p = affected.package;
          if (p === undefined || !ecosystemFits(p.ecosystem, query)) continue;
          if (query.ecosystem === 'PyPI' ? p.name.toLowerCase().replace(/[-_.]+/g, '-') !== query.name.toLowerCase().replace(/[-_.]+/g, '-') : p.name !== query.name) continue;
          const verdict = evaluateAffected(affected, query.version, compare);
          if (!verdict.affected) continue;
          seen.add(record.id);
          const finding: Finding = {
            id: record.id,
            aliases: record.aliases ?? [],
            ...severityFields(record, affected),
            package: { name: pkg.name, version: pkg.version, ecosystem: p.ecosystem, purl: pkg.purl, locations: pkg.locations, ...(pkg.source && pkg.source.name !== pkg.name && { source: pkg.source.name }) },
          };
          if (record.summary !== undefined) finding.summary = record.summary;
          if (verdict.fixed !== undefined) finding.fixedVersion = verdict.fixed;
          if (pkg.layer) finding.layer = pkg.layer;
          findings.push(finding);
          break;
        }
      }
    }
  }
  return sortFindings(findings);
}


function severityFields(record: OsvRecord, affected: NonNullable<OsvRecord['affected']>[number]): Pick<Finding, 'severity' | 'score'> {
  const s = severityOf(record, affected);
  return s.score === undefined ? { severity: s.severity } : { severity: s.severity, score: s.score };
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || (b.score ?? 0) - (a.score ?? 0) || a.package.name.localeCompare(b.package.name) || a.id.localeCompare(b.id));
}
