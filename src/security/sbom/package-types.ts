/** The package ecosystems berth inventories, named as their purl types. */
export type Ecosystem = 'deb' | 'apk' | 'rpm' | 'npm' | 'pypi' | 'golang' | 'maven';

/** A package as one package database or manifest states it (no layer, no purl yet). */
export interface FoundPackage {
  ecosystem: Ecosystem;
  /** npm: the full name (`@scope/x`); Go: the module path; Maven: the artifactId. */
  name: string;
  version: string;
  /** Maven groupId. */
  namespace?: string;
  arch?: string;
  /** RPM epoch, when not 0. */
  epoch?: number;
  /** Licence names as the package states them (normalized to SPDX ids where berth knows them). */
  licenses: string[];
  /** Source package (dpkg `Source`, apk origin, source RPM): what Debian's advisories are keyed by. */
  source?: { name: string; version: string };
  /** Files (paths in the root filesystem, no leading slash) that record this package. */
  locations: string[];
}

/** One file that records packages: a package database, a lockfile, a manifest, a binary. */
export interface PackageSource {
  path: string;
  packages: FoundPackage[];
}

export interface OsRelease {
  id: string;
  versionId: string;
  prettyName?: string;
}

/** What one layer (or a plain directory) holds, as found in its own files only. */
export interface LayerInventory {
  /** The layer's diff ID, or a label for a plain directory. */
  diffId: string;
  sources: PackageSource[];
  /** Licences from Debian copyright files: package name → licences (path kept for whiteouts). */
  copyrights: { path: string; pkg: string; licenses: string[] }[];
  osRelease?: { path: string; value: OsRelease };
  /** Paths this layer deletes from the layers below (whiteouts). */
  whiteouts: string[];
  /** Directories this layer makes opaque (nothing below shows through). */
  opaqueDirs: string[];
  /** Problems with files that could not be read as what they claim to be. */
  warnings: string[];
}

/** A package of an image with the layer that brought it and its purl. */
export interface InventoryPackage extends FoundPackage {
  purl: string;
  /** 0-based index of the layer that brought it, and its diff ID (absent for a plain directory). */
  layer?: { index: number; diffId: string };
}

export interface ImageInventory {
  /** The image reference or directory that was read. */
  subject: string;
  distro?: OsRelease;
  packages: InventoryPackage[];
  warnings: string[];
}
