import { compareApkVersions } from './apk-version.js';
import { compareDpkgVersions } from './dpkg-version.js';
import { compareMavenVersions } from './maven-version.js';
import { comparePep440 } from './pep440-version.js';
import { compareRpmVersions } from './rpm-version.js';
import { compareGoVersions, compareSemver } from './semver-version.js';

/** A version order: negative, zero or positive as `a` sorts before, equal to or after `b`. */
export type VersionComparator = (a: string, b: string) => number;

const BY_ECOSYSTEM: Record<string, VersionComparator> = {
  Debian: compareDpkgVersions,
  Ubuntu: compareDpkgVersions,
  Alpine: compareApkVersions,
  npm: compareSemver,
  PyPI: comparePep440,
  Go: compareGoVersions,
  Maven: compareMavenVersions,
  'Red Hat': compareRpmVersions,
  'Rocky Linux': compareRpmVersions,
  AlmaLinux: compareRpmVersions,
  openSUSE: compareRpmVersions,
  SUSE: compareRpmVersions,
  Mageia: compareRpmVersions,
};

/** The OSV ecosystem without its release (`Debian:12` → `Debian`, `Alpine:v3.19` → `Alpine`). */
export function baseEcosystem(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon < 0 ? ecosystem : ecosystem.slice(0, colon);
}

/** The comparator for an OSV ecosystem name, or undefined when berth has none for it. */
export function comparatorFor(ecosystem: string): VersionComparator | undefined {
  return BY_ECOSYSTEM[baseEcosystem(ecosystem)];
}
