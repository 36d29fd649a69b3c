/**
 * The scan and SBOM commands (the CLI's security port, cli/berth-ports.ts): images through berthd,
 * or in the berth process on the state root of --root / BERTH_ROOT; directories and tarballs are
 * read here. The report is rendered by security/'s formats either way.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { errors } from '../../base/errors.js';
import type { ImageService } from '../../images/image-service.js';
import { SBOM_FORMATS, ScanService, type SbomFormat } from '../../security/scan-service.js';
import { SEVERITIES, severityRank, type Severity } from '../../security/vulns/cvss.js';
import { downloadOsvArchives } from '../../security/vulns/db-update.js';
import { readIgnoreFile } from '../../security/vulns/ignore-file.js';
import { formatTable, toSarif } from '../../security/vulns/report-formats.js';
import type { GlobalOptions } from '../../cli/args/command-spec.js';
import type { SecurityCommands } from '../../cli/berth-ports.js';
import { progress, runsInProcess, setExitStatus, stateRootOf, withClient } from '../../cli/context.js';
import type { SbomFlags, ScanFlags } from '../../cli/commands/security-flags.js';
import { applyIgnores } from '../../security/vulns/ignore-file.js';
import type { ScanReport } from '../../wire/security.js';
import { withImages } from './local-images.js';

async function isPath(target: string): Promise<boolean> {
  if (target.startsWith('/') || target.startsWith('.')) return true;
  try {
    await stat(target);
    return true;
  } catch {
    return false;
  }
}

/** Images go through berthd unless --root / BERTH_ROOT names a state root; paths are read here. */
async function throughDaemon(globals: GlobalOptions, target: string): Promise<boolean> {
  return !runsInProcess(globals) && !(await isPath(target));
}

/** Runs `work` with the scanner, and the image store unless the target is a path on disk. */
async function withScanner<T>(globals: GlobalOptions, target: string | undefined, work: (scanner: ScanService, images: ImageService | undefined) => Promise<T>): Promise<T> {
  const scanner = ScanService.open(stateRootOf(globals));
  try {
    if (target !== undefined && (await isPath(target))) return await work(scanner, undefined);
    return await withImages(globals, (images) => work(scanner, images));
  } finally {
    scanner.close();
  }
}

async function output(text: string, file: string | undefined): Promise<void> {
  if (file === undefined) process.stdout.write(text);
  else await writeFile(file, text);
}

export async function runSbom(globals: GlobalOptions, target: string, flags: SbomFlags): Promise<void> {
  if (!(SBOM_FORMATS as readonly string[]).includes(flags.format)) throw errors.invalidArgument('unknown-format', `unknown --format ${flags.format} (cyclonedx or spdx)`);
  const doc = (await throughDaemon(globals, target))
    ? await withClient(globals, (client) => client.security.sbom(target, flags.format))
    : await withScanner(globals, target, (scanner, images) => scanner.sbom(target, flags.format as SbomFormat, images));
  await output(`${JSON.stringify(doc, null, 2)}\n`, flags.output);
}

function severityFlag(value: string | undefined): Severity | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase();
  const found = SEVERITIES.find((s) => s === upper && s !== 'UNKNOWN');
  if (found === undefined) throw errors.invalidArgument('unknown-severity', `unknown --severity ${value} (LOW, MEDIUM, HIGH or CRITICAL)`);
  return found;
}

export async function runScan(globals: GlobalOptions, target: string, flags: ScanFlags): Promise<void> {
  if (!['table', 'json', 'sarif'].includes(flags.format)) throw errors.invalidArgument('unknown-format', `unknown --format ${flags.format} (table, json or sarif)`);
  const threshold = severityFlag(flags.severity);
  const exitCode = flags.exitCode === undefined ? undefined : Number(flags.exitCode);
  if (exitCode !== undefined && (!Number.isInteger(exitCode) || exitCode < 0 || exitCode > 255)) throw errors.invalidArgument('invalid-exit-code', `--exit-code must be 0-255, not ${flags.exitCode ?? ''}`);
  const ignore = flags.ignoreFile === undefined ? undefined : await readIgnoreFile(flags.ignoreFile);
  let report: ScanReport;
  if (await throughDaemon(globals, target)) {
    report = await withClient(globals, (client) => client.security.scan(target, { ...(flags.ignoreUnfixed === true && { ignoreUnfixed: true }) }));
    if (ignore) for (const e of applyIgnores(report.findings, ignore, new Date()).expired) report.warnings.push(`ignore entry ${e.id} expired on ${e.expires ?? ''}: no longer ignored`);
  } else {
    report = await withScanner(globals, target, (scanner, images) => {
      if (scanner.vulns.count() === 0) progress('Warning: the vulnerability database is empty: run berth scan db import (or update)');
      return scanner.scan(target, images, { ...(ignore && { ignore }), ...(flags.ignoreUnfixed === true && { ignoreUnfixed: true }) });
    });
  }
  if (threshold !== undefined) report.findings = report.findings.filter((f) => severityRank(f.severity) >= severityRank(threshold));
  for (const warning of report.warnings) progress(`Warning: ${warning}`);
  const text = flags.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : flags.format === 'sarif' ? `${JSON.stringify(toSarif(report), null, 2)}\n` : formatTable(report);
  await output(text, flags.output);
  if (exitCode !== undefined && report.findings.some((f) => !f.ignored)) setExitStatus(exitCode);
}

export async function runDbImport(globals: GlobalOptions, path: string): Promise<void> {
  // Through berthd (without --root) the daemon reads the path and rescans the images in use at
  // once; with --root the import runs here, and a berthd on the root rescans at its next check.
  const result = runsInProcess(globals)
    ? await withScanner(globals, path, (scanner) => scanner.importDatabase(path))
    : await withClient(globals, (client) => client.security.importDatabase(resolve(path)));
  process.stdout.write(`Imported ${result.imported} new, ${result.replaced} updated, ${result.unchanged} unchanged OSV records\n`);
}

const DEFAULT_ECOSYSTEMS = ['Debian', 'Alpine', 'npm', 'PyPI', 'Go', 'Maven'];

export async function runDbUpdate(globals: GlobalOptions, ecosystems: string[]): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-osv-'));
  try {
    let wanted = ecosystems;
    if (wanted.length === 0) {
      const scanner = ScanService.open(stateRootOf(globals));
      try { wanted = scanner.ecosystemsInUse(); } finally { scanner.close(); }
    }
    if (wanted.length === 0) wanted = DEFAULT_ECOSYSTEMS;
    progress(`Downloading OSV data for ${wanted.join(', ')}`);
    const files = await downloadOsvArchives(wanted, dir);
    await withScanner(globals, dir, async (scanner) => {
      for (const file of files) {
        const r = await scanner.importDatabase(file);
        process.stdout.write(`${file}: ${r.imported} new, ${r.replaced} updated, ${r.unchanged} unchanged\n`);
      }
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const securityCommands: SecurityCommands = { scan: runScan, sbom: runSbom, dbImport: runDbImport, dbUpdate: runDbUpdate };
