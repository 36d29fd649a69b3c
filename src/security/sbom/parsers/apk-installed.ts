import type { FoundPackage } from '../package-types.js';

/**
 * Alpine's installed database (`lib/apk/db/installed`): records separated by blank lines, one
 * `X:value` line per field (P name, V version, A arch, L licence, o origin, F directory, R file).
 */
export function parseApkInstalled(text: string, path: string, warnings: string[]): FoundPackage[] {
  const packages: FoundPackage[] = [];
  for (const record of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of record.split('\n')) {
      if (line.length >= 2 && line[1] === ':' && !fields.has(line[0] ?? '')) fields.set(line[0] ?? '', line.slice(2).trim());
    }
    if (fields.size === 0) continue;
    const name = fields.get('P');
    const version = fields.get('V');
    if (name === undefined || name === '' || version === undefined || version === '') {
      warnings.push(`${path}: skipped a record without P: and V:`);
      continue;
    }
    const license = fields.get('L');
    const pkg: FoundPackage = { ecosystem: 'apk', name, version, licenses: license ? license.split(/\s+AND\s+/).filter(Boolean) : [], locations: [path] };
    const arch = fields.get('A');
    if (arch !== undefined) pkg.arch = arch;
    pkg.source = { name: fields.get('o') ?? name, version };
    packages.push(pkg);
  }
  return packages;
}
