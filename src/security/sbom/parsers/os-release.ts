import type { OsRelease } from '../package-types.js';

/** `etc/os-release` (or `usr/lib/os-release`): shell-style KEY=value lines. */
export function parseOsRelease(text: string): OsRelease | undefined {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) values.set(m[1] ?? '', (m[2] ?? '').replace(/^["']|["']$/g, ''));
  }
  const id = values.get('ID');
  if (id === undefined || id === '') return undefined;
  const result: OsRelease = { id, versionId: values.get('VERSION_ID') ?? '' };
  const pretty = values.get('PRETTY_NAME');
  if (pretty !== undefined) result.prettyName = pretty;
  return result;
}
