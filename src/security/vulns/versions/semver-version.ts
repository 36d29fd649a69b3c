/**
 * Semantic Versioning 2.0.0 precedence (npm, OSV's SEMVER ranges, Go modules): numeric
 * major.minor.patch, then a release sorts after its prereleases, whose dot-separated identifiers
 * compare numerically when numeric (and numeric before alphanumeric), else in ASCII order. Build
 * metadata (`+…`) is ignored. A leading `v` or `=` is accepted; missing minor/patch count as 0.
 */
export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: string[];
}

const SEMVER = /^[v=]?\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseSemver(text: string): SemVer | undefined {
  const match = SEMVER.exec(text.trim());
  if (match === null) return undefined;
  return {
    major: Number(match[1]),
    minor: Number(match[2] ?? 0),
    patch: Number(match[3] ?? 0),
    prerelease: match[4] === undefined ? [] : match[4].split('.'),
  };
}

function compareIdentifiers(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return Math.sign(Number(a) - Number(b)) || Math.sign(a.length - b.length);
  if (an) return -1;
  if (bn) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareParsedSemver(a: SemVer, b: SemVer): number {
  const core = Math.sign(a.major - b.major) || Math.sign(a.minor - b.minor) || Math.sign(a.patch - b.patch);
  if (core !== 0) return core;
  if (a.prerelease.length === 0 || b.prerelease.length === 0) return Math.sign(b.prerelease.length - a.prerelease.length);
  for (let k = 0; k < Math.max(a.prerelease.length, b.prerelease.length); k++) {
    const x = a.prerelease[k];
    const y = b.prerelease[k];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const c = compareIdentifiers(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

/** Unparsable versions sort by plain string comparison after every valid one. */
export function compareSemver(a: string, b: string): number {
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  if (pa && pb) return compareParsedSemver(pa, pb);
  if (pa) return -1;
  if (pb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Go module versions: semver with a `v`; pseudo-versions (v0.0.0-20191109021931-daa7c04131f5)
 * are prereleases and order by their timestamp; `+incompatible` is build metadata.
 */
export function compareGoVersions(a: string, b: string): number {
  return compareSemver(a.replace(/^v/, ''), b.replace(/^v/, ''));
}
