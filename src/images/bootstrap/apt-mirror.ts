/**
 * Finds the Debian mirror the host's apt already uses, so debootstrap fetches from the same place
 * (never a hard-coded host). Pure: the caller reads the files; this only parses their text.
 * Understands deb822 `.sources` stanzas (Types/URIs/Suites/Enabled) and one-line
 * `deb [options] URL suite components...` entries of `sources.list` files.
 */

/** The text of one apt sources file; `path` decides the format (`.sources` is deb822). */
export interface AptSourcesFile {
  path: string;
  text: string;
}

/** One binary (`deb`) source entry. */
interface AptEntry {
  uri: string;
  suites: string[];
}

/**
 * The mirror URL for `suite`: the first `deb` entry whose suites include it, or else the first entry
 * that looks like a Debian archive (a URL ending in `/debian`). Undefined when there is none.
 * Files are taken in the order given.
 */
export function findAptMirror(files: readonly AptSourcesFile[], suite: string): string | undefined {
  const entries = files.flatMap((file) =>
    file.path.endsWith('.sources') ? parseDeb822(file.text) : parseOneLine(file.text),
  );
  const exact = entries.find((entry) => entry.suites.includes(suite));
  const debian = exact ?? entries.find((entry) => /\/debian\/?$/.test(entry.uri));
  return debian?.uri.replace(/\/+$/, '');
}

function parseOneLine(text: string): AptEntry[] {
  const entries: AptEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').replace(/\[[^\]]*\]/, ' ').trim();
    const [type, uri, suite] = line.split(/\s+/);
    if (type === 'deb' && uri !== undefined && suite !== undefined) entries.push({ uri, suites: [suite] });
  }
  return entries;
}

function parseDeb822(text: string): AptEntry[] {
  const entries: AptEntry[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = parseStanza(stanza);
    const types = (fields.get('types') ?? '').split(/\s+/);
    if (!types.includes('deb') || fields.get('enabled')?.toLowerCase() === 'no') continue;
    const suites = (fields.get('suites') ?? '').split(/\s+/).filter(Boolean);
    for (const uri of (fields.get('uris') ?? '').split(/\s+/).filter(Boolean)) entries.push({ uri, suites });
  }
  return entries;
}

/** Field name (lower case) → value, with continuation lines joined and comments dropped. */
function parseStanza(stanza: string): Map<string, string> {
  const fields = new Map<string, string>();
  let last: string | undefined;
  for (const line of stanza.split('\n')) {
    if (line.startsWith('#')) continue;
    if (/^\s/.test(line) && last !== undefined) {
      fields.set(last, `${fields.get(last) ?? ''} ${line.trim()}`.trim());
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    fields.set(last, line.slice(colon + 1).trim());
  }
  return fields;
}
