/**
 * berth's scanning extensions on the wire (`/berth/v1/…`): a scan report, an image's last scan,
 * the body and answer of a vulnerability database import. `security/` produces these shapes.
 */
import { z } from 'zod';

/** Severity levels, lowest first (UNKNOWN: no score and no rating). */
export const SEVERITIES = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A severity's place in `SEVERITIES` (higher is worse): what `--severity` / `severity=` thresholds compare. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** The SBOM formats of `POST /berth/v1/images/{name}/sbom?format=` and `berth sbom --format`. */
export const SBOM_FORMATS = ['cyclonedx', 'spdx'] as const;
export type SbomFormat = (typeof SBOM_FORMATS)[number];

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

/** `POST /berth/v1/images/{name}/scan` (without `format=sarif`). */
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

/**
 * `GET /berth/v1/images/{name}/scan`, and `BerthScan` of `berth image inspect`: the image's last
 * scan, Docker-cased; `LastScan` null when it was never scanned.
 */
export interface LastScanView {
  Image: string;
  LastScan: { Time: string; DatabaseGeneration: number; Counts: Record<Severity, number> } | null;
}

/** The body of `POST /berth/v1/scan/db/import`: a directory or zip of OSV records on the daemon's host. */
export const databaseImportBodySchema = z.strictObject({ path: z.string().min(1) });
export type DatabaseImportConfig = z.input<typeof databaseImportBodySchema>;

/** The answer of `POST /berth/v1/scan/db/import`. */
export interface ImportResult {
  imported: number;
  replaced: number;
  /** Records that were already there with the same or a newer `modified`. */
  unchanged: number;
}

/** `GET /berth/v1/scan/db`. */
export interface DatabaseStatus {
  records: number;
  generation: number;
}
