import type { FoundPackage, OsRelease } from './package-types.js';

/** Percent-encodes a purl component; `:` may stay (the purl spec allows it unencoded). */
function enc(text: string): string {
  return encodeURIComponent(text).replace(/%3A/g, ':');
}

function qualifiers(entries: [string, string | undefined][]): string {
  const present = entries.filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '').sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return present.length === 0 ? '' : `?${present.map(([k, v]) => `${k}=${enc(v)}`).join('&')}`;
}

/** purl namespaces of distros whose os-release ID differs from their vendor name. */
const RPM_VENDORS: Record<string, string> = { rhel: 'redhat', 'opensuse-leap': 'opensuse', 'opensuse-tumbleweed': 'opensuse', sles: 'suse' };

/** The distro qualifier: `debian-12`, `alpine-3.19.1`, `ubuntu-22.04`. */
export function distroQualifier(distro: OsRelease | undefined): string | undefined {
  return distro === undefined || distro.versionId === '' ? undefined : `${distro.id}-${distro.versionId}`;
}

/**
 * The package URL of a package, per the purl spec: type, namespace, name, version, qualifiers
 * sorted by key. Distro packages are namespaced by the OS (`pkg:deb/debian/…`).
 */
export function buildPurl(pkg: FoundPackage, distro?: OsRelease): string {
  const version = `@${enc(pkg.version)}`;
  switch (pkg.ecosystem) {
    case 'deb':
    case 'apk':
    case 'rpm': {
      const vendor = RPM_VENDORS[distro?.id ?? ''] ?? distro?.id ?? (pkg.ecosystem === 'deb' ? 'debian' : pkg.ecosystem === 'apk' ? 'alpine' : 'redhat');
      const extra: [string, string | undefined][] = [['arch', pkg.arch], ['distro', distroQualifier(distro)]];
      if (pkg.epoch !== undefined && pkg.epoch !== 0) extra.push(['epoch', String(pkg.epoch)]);
      if (pkg.ecosystem === 'deb' && pkg.source !== undefined && pkg.source.name !== pkg.name) extra.push(['upstream', pkg.source.name]);
      return `pkg:${pkg.ecosystem}/${enc(vendor)}/${enc(pkg.name)}${version}${qualifiers(extra)}`;
    }
    case 'npm': {
      const slash = pkg.name.startsWith('@') ? pkg.name.indexOf('/') : -1;
      return slash > 0 ? `pkg:npm/${enc(pkg.name.slice(0, slash))}/${enc(pkg.name.slice(slash + 1))}${version}` : `pkg:npm/${enc(pkg.name)}${version}`;
    }
    case 'pypi':
      return `pkg:pypi/${enc(pkg.name.toLowerCase().replace(/[-_.]+/g, '-'))}${version}`;
    case 'golang':
      return `pkg:golang/${pkg.name.split('/').map(enc).join('/')}${version}`;
    case 'maven':
      return `pkg:maven/${enc(pkg.namespace ?? '')}/${enc(pkg.name)}${version}`;
  }
}
