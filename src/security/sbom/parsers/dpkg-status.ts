import type { FoundPackage } from '../package-types.js';
import { parseParagraphs } from './control-paragraphs.js';

const NAME = /^[a-z0-9][a-z0-9+.-]*$/;

/**
 * Installed packages of a dpkg status file (`var/lib/dpkg/status` or a file of `status.d/`, as
 * distroless images have). Only entries whose Status says installed count; entries without a
 * valid name or version are skipped with a warning.
 */
export function parseDpkgStatus(text: string, path: string, warnings: string[]): FoundPackage[] {
  const packages: FoundPackage[] = [];
  for (const para of parseParagraphs(text)) {
    const name = para.get('package');
    const version = para.get('version');
    const status = para.get('status');
    if (status !== undefined && status.split(/\s+/)[2] !== 'installed') continue;
    if (name === undefined || !NAME.test(name) || version === undefined || version === '' || /\s/.test(version)) {
      warnings.push(`${path}: skipped an entry without a valid Package/Version (${name ?? 'no name'})`);
      continue;
    }
    const sourceField = para.get('source');
    const match = sourceField === undefined ? undefined : /^(\S+)(?:\s+\(([^)]+)\))?$/.exec(sourceField);
    const pkg: FoundPackage = { ecosystem: 'deb', name, version, licenses: [], locations: [path] };
    const arch = para.get('architecture');
    if (arch !== undefined) pkg.arch = arch;
    pkg.source = { name: match?.[1] ?? name, version: match?.[2] ?? version };
    packages.push(pkg);
  }
  return packages;
}
