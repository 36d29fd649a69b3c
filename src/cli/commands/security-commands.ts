/**
 * `berth scan …` and `berth sbom` (a shortcut for `berth scan sbom`): SBOMs and vulnerability
 * reports of images, directories and root filesystem tarballs. Images are scanned (and databases
 * imported) through berthd, or in this process with --root / BERTH_ROOT; directories and
 * tarballs are always read here (`security-run.ts`, loaded when a command runs). `berth scan
 * TARGET` means `berth scan image TARGET`.
 */
import { argOf, flagsOf, type CommandSpec } from '../args/command-spec.js';
import type { SbomFlags, ScanFlags } from './security-flags.js';

const OUTPUT = { flags: '-o, --output <file>', description: 'write to this file instead of stdout' };

export const SCAN_COMMAND: CommandSpec = {
  name: 'scan',
  description: 'Vulnerability scans and SBOMs of images, directories and root filesystem tarballs',
  commands: [
    {
      name: 'image', description: 'List known vulnerabilities of an image, directory or tarball (also: berth scan TARGET)', args: '<target>',
      options: [
        { flags: '--format <format>', description: 'table, json or sarif', default: 'table' },
        { flags: '--severity <level>', description: 'only report findings at or above LOW, MEDIUM, HIGH or CRITICAL' },
        { flags: '--exit-code <code>', description: 'exit with this code when any finding is reported (for CI)' },
        { flags: '--ignore-unfixed', description: 'leave out findings that have no fixed version yet' },
        { flags: '--ignore-file <file>', description: 'YAML or JSON list of {id, reason, expires} to ignore' },
        OUTPUT,
      ],
      run: async ({ globals, args, options }) => { await (await import('./security-run.js')).runScan(globals, argOf(args, 'target'), flagsOf<ScanFlags>(options)); },
    },
    {
      name: 'sbom', description: 'Write the SBOM of an image, directory or tarball (also: berth sbom TARGET)', args: '<target>',
      options: [{ flags: '--format <format>', description: 'cyclonedx (CycloneDX 1.5 JSON) or spdx (SPDX 2.3 JSON)', default: 'cyclonedx' }, OUTPUT],
      run: async ({ globals, args, options }) => { await (await import('./security-run.js')).runSbom(globals, argOf(args, 'target'), flagsOf<SbomFlags>(options)); },
    },
    {
      name: 'db', description: 'The vulnerability database (OSV records)',
      commands: [
        {
          name: 'import', description: 'Validate and import OSV records from a directory of JSON files or a zip archive', args: '<path>',
          run: async ({ globals, args }) => { await (await import('./security-run.js')).runDbImport(globals, argOf(args, 'path')); },
        },
        {
          name: 'update', description: 'Download the OSV archives of the ecosystems in use (needs the internet)',
          options: [{ flags: '--ecosystem <name>', description: 'an OSV ecosystem to fetch (default: those of the images scanned so far, else Debian, Alpine, npm, PyPI, Go, Maven)', repeat: true }],
          run: async ({ globals, options }) => { await (await import('./security-run.js')).runDbUpdate(globals, Array.isArray(options.ecosystem) ? options.ecosystem : []); },
        },
      ],
    },
  ],
};

const SUBCOMMANDS = new Set(['image', 'sbom', 'db', 'help', '--help', '-h']);

/** `berth scan TARGET …` → `berth scan image TARGET …` (args start at the command word). */
export function expandScanShortcut(args: string[], index: number): string[] {
  if (args[index] !== 'scan') return args;
  const next = args[index + 1];
  if (next === undefined || SUBCOMMANDS.has(next)) return args;
  return [...args.slice(0, index + 1), 'image', ...args.slice(index + 1)];
}
