import { errors } from '../base/errors.js';
import type { PaxRecords } from './pax-records.js';

const SCHILY = 'SCHILY.xattr.';
const LIBARCHIVE = 'LIBARCHIVE.xattr.';

/**
 * The xattrs a tar entry carries in its PAX records: `SCHILY.xattr.<name>=<value>` (GNU tar,
 * Docker; the value is the raw xattr bytes, taken from `raw()`, the records as rawPaxRecords kept
 * them, called only when there is such a record) and `LIBARCHIVE.xattr.<url-encoded name>=<base64
 * value>` (bsdtar; text, so tar-stream's decoded `pax` is enough). Throws what `raw` throws, and
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
      result.push([key.slice(SCHILY.length), bytes]);
    } else if (key.startsWith(LIBARCHIVE)) {
      result.push([decodeURIComponent(key.slice(LIBARCHIVE.length)), Buffer.from(value, 'base64')]);
    }
  }
  return result;
}

/** The `SCHILY.xattr.<name>` records for `xattrs` (the raw value bytes, whatever they are). */
export function paxRecordsForXattrs(xattrs: Iterable<readonly [string, Buffer]>): [string, Buffer][] {
  return [...xattrs].map(([name, value]) => [`${SCHILY}${name}`, value]);
}
