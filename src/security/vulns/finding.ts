import type { Severity } from './cvss.js';

/** One known vulnerability of one package of an image or directory. */
export interface Finding {
  /** OSV id (DSA-…, GHSA-…, CVE-…) and its aliases. */
  id: string;
  aliases: string[];
  summary?: string;
  severity: Severity;
  score?: number;
  package: { name: string; version: string; ecosystem: string; purl: string; source?: string; locations: string[] };
  /** The lowest version that fixes it, when the advisory names one. */
  fixedVersion?: string;
  layer?: { index: number; diffId: string };
  /** Set when an ignore file entry hides it. */
  ignored?: { reason?: string; expires?: string };
}

export interface ScanReport {
  subject: string;
  imageId?: string;
  distro?: string;
  /** Scan database generation the findings were matched against. */
  databaseGeneration: number;
  packages: number;
  findings: Finding[];
  warnings: string[];
}
