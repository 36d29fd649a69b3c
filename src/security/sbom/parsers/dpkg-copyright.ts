import { parseParagraphs } from './control-paragraphs.js';

/**
 * Licences of a machine-readable Debian copyright file (DEP-5): the short names of every
 * `License:` field (its first line), in order of first appearance. A file that is not DEP-5
 * (no `Format:` in its first paragraph) gives none: free-text copyright files are not guessed at.
 */
export function parseDebianCopyright(text: string): string[] {
  const paragraphs = parseParagraphs(text);
  const header = paragraphs[0];
  if (header === undefined || !header.has('format')) return [];
  const licenses: string[] = [];
  for (const para of paragraphs) {
    const field = para.get('license');
    if (field === undefined) continue;
    const short = (field.split('\n')[0] ?? '').trim();
    for (const part of short.split(/\s+or\s+|\s*\|\s*/i)) {
      const name = part.replace(/,?\s*with\s+.*$/i, '').trim();
      if (name !== '' && !licenses.includes(name)) licenses.push(name);
    }
  }
  return licenses;
}
