/**
 * `berth scan …` and `berth sbom`: images through berthd, or with the in-process scanner (the
 * `scanner` port) on the state root of --root / BERTH_ROOT; directories and tarballs are always
 * read in this process. Either way the report comes back as wire/'s ScanReport and is filtered,
 * given the ignore file and rendered here.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { errors } from '../../base/errors.js';
import { applyIgnores, readIgnoreFile } from '../../client/scan-ignore-file.js';
import { formatTable, toSarif } from '../../wire/scan-report-formats.js';
import { SBOM_FORMATS, SEVERITIES, severityRank, type SbomFormat, type Severity } from '../../wire/security.js';
import { ports } from '../berth-ports.js';
import { progress, runsInProcess, setExitStatus, withClient, type GlobalOptions } from '../context.js';
import { isPathTarget } from './scan-target.js';
import type { SbomFlags, ScanFlags } from './security-flags.js';

/** Images go through berthd unless --root / BERTH_ROOT names a state root; paths are read here. */
async function throughDaemon(globals: GlobalOptions, target: string): Promise<boolean> {
  return !runsInProcess(globals) && !(await isPathTarget(target));
}

async function output(text: string, file: string | undefined): Promise<void> {
  if (file === undefined) process.stdout.write(text);
  else await writeFile(file, text);
}

function sbomFormat(value: string): SbomFormat {
  const found = SBOM_FORMATS.find((f) => f === value);
  if (found === undefined) throw errors.invalidArgument('unknown-format', `unknown --format ${value} (cyclonedx or spdx)`);
  return found;
}

export async function runSbom(globals: GlobalOptions, target: string, flags: SbomFlags): Promise<void> {
  const format = sbomFormat(flags.format);
  const doc = (await throughDaemon(globals, target))
    ? await withClient(globals, (client) => client.security.sbom(target, format))
    : await ports().scanner.sbom(globals, target, format);
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
  const ignoreUnfixed = flags.ignoreUnfixed === true;
  const report = (await throughDaemon(globals, target))
    ? await withClient(globals, (client) => client.security.scan(target, { ...(ignoreUnfixed && { ignoreUnfixed: true }) }))
    : await ports().scanner.scan(globals, target, { ignoreUnfixed, onWarning: (message) => { progress(`Warning: ${message}`); } });
  if (ignore) for (const e of applyIgnores(report.findings, ignore, new Date()).expired) report.warnings.push(`ignore entry ${e.id} expired on ${e.expires ?? ''}: no longer ignored`);
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
    ? await ports().scanner.importDatabase(globals, path)
    : await withClient(globals, (client) => client.security.importDatabase(resolve(path)));
  process.stdout.write(`Imported ${result.imported} new, ${result.replaced} updated, ${result.unchanged} unchanged OSV records\n`);
}

/** `scan db update` always runs in this process, on the command's state root. */
export async function runDbUpdate(globals: GlobalOptions, ecosystems: string[]): Promise<void> {
  await ports().scanner.updateDatabase(globals, ecosystems, {
    onProgress: progress,
    onImported: (file, r) => { process.stdout.write(`${file}: ${r.imported} new, ${r.replaced} updated, ${r.unchanged} unchanged\n`); },
  });
}
