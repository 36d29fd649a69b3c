import type { FoundPackage } from '../package-types.js';

/**
 * An installed Python distribution's core metadata (`*.dist-info/METADATA`, `*.egg-info/PKG-INFO`
 * or an `.egg-info` file): RFC 822 headers up to the first blank line. Licence from
 * License-Expression, else License (one line), else the `License ::` classifiers.
 */
export function parsePythonMetadata(text: string, path: string, warnings: string[]): FoundPackage[] {
  const headers = new Map<string, string[]>();
  let last: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break;
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).toLowerCase();
    headers.set(last, [...(headers.get(last) ?? []), line.slice(colon + 1).trim()]);
  }
  const name = headers.get('name')?.[0];
  const version = headers.get('version')?.[0];
  if (name === undefined || name === '' || version === undefined || version === '') {
    warnings.push(`${path}: Python metadata without Name and Version`);
    return [];
  }
  let licenses = headers.get('license-expression') ?? [];
  const license = headers.get('license')?.[0];
  if (licenses.length === 0 && license !== undefined && license !== '' && license !== 'UNKNOWN' && !license.includes('\n') && license.length < 80) licenses = [license];
  if (licenses.length === 0) {
    licenses = (headers.get('classifier') ?? []).filter((c) => c.startsWith('License ::')).map((c) => c.split('::').pop()?.trim() ?? '').filter(Boolean);
  }
  return [{ ecosystem: 'pypi', name, version, licenses, locations: [path] }];
}
