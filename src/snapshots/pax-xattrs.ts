import { errors } from '../base/errors.js';
import type { PaxRecords } from './pax-records.js';

const SCHILY = 'SCHILY.xattr.';
const LIBARCHIVE = 'LIBARCHIVE.xattr.';

/**
 * The xattrs a tar entry carries in its PAX records: `SCHILY.xattr.<name>=<value>` (GNU tar,
 * Docker; the value is the raw xattr bytes, taken from `raw()`, the records as rawPaxRecords kept
 * them, called only when there is such a record) and `LIBARCHIVE.xattr.<url-encoded name>=<base64
 * value>` (bsdtar; text, so tar-stream's decoded `pax` is enough). Throws what `raw` throws, invalid-argument
 * `malformed-layer` for a LIBARCHIVE name that is not URL-encoded and for a name or value Linux
 * would refuse (see `checked`), and
 * internal `raw-pax-missing` when `pax` has SCHILY records but `raw()` has not: the raw-PAX hook
 * stopped working, and the text would have lost bytes.
 */
export function xattrsFromPax(pax: unknown, raw: () => PaxRecords | undefined): [string, Buffer][] {
  if (typeof pax !== 'object' || pax === null) return [];
  const result: [string, Buffer][] = [];
  for (const [key, value] of Object.entries(pax)) {
    if (typeof value !== 'string') continue;
    if (key.startsWith(SCHILY)) {
      const bytes = raw()?.get(key);
      if (bytes === undefined) throw errors.internal('raw-pax-missing', `the raw bytes of PAX record "${key}" were not kept`);
      result.push(checked(key, key.slice(SCHILY.length), bytes));
    } else if (key.startsWith(LIBARCHIVE)) {
      result.push(checked(key, libarchiveName(key), Buffer.from(value, 'base64')));
    }
  }
  return result;
}

/** The namespaces Linux has; a name in another one cannot be set. */
const NAMESPACE = /^(security|system|trusted|user)\../;

/** No control character (a line break above all) and no `=`, the dump's separator. */
function fitsDump(name: string): boolean {
  return name.split('').every((char) => char >= ' ' && char !== '\x7f' && char !== '=');
}
/** Linux's limits: XATTR_NAME_MAX and XATTR_SIZE_MAX bytes. */
const NAME_MAX = 255;
const VALUE_MAX = 65536;

/**
 * The xattr as a pair, when Linux could set it and the `setfattr --restore` dump can carry it
 * (no line breaks or `=` in the name: such a name could add `# file:` lines for other paths).
 * Throws invalid-argument `malformed-layer` otherwise.
 */
function checked(key: string, name: string, value: Buffer): [string, Buffer] {
  if (!NAMESPACE.test(name) || !fitsDump(name) || Buffer.byteLength(name) > NAME_MAX || value.length > VALUE_MAX) {
    throw errors.invalidArgument('malformed-layer', `PAX record ${JSON.stringify(key)} holds no xattr Linux can set`, { details: { key } });
  }
  return [name, value];
}

/** The xattr name of a `LIBARCHIVE.xattr.<url-encoded name>` key; invalid-argument when it is not URL-encoded. */
function libarchiveName(key: string): string {
  try {
    return decodeURIComponent(key.slice(LIBARCHIVE.length));
  } catch (cause) {
    throw errors.invalidArgument('malformed-layer', `PAX record "${key}" names no URL-encoded xattr`, { cause });
  }
}

/** The `SCHILY.xattr.<name>` records for `xattrs` (the raw value bytes, whatever they are). */
export function paxRecordsForXattrs(xattrs: Iterable<readonly [string, Buffer]>): [string, Buffer][] {
  return [...xattrs].map(([name, value]) => [`${SCHILY}${name}`, value]);
}
