import { extract as tarExtract, type Extract } from 'tar-stream';
import { errors, messageOf } from '../base/errors.js';
import { parsePaxRecords, type PaxRecords } from './pax-records.js';

/**
 * The members of tar-stream 3's (unexported) Extract class that rawPaxExtract hooks. tar-stream
 * calls `_decodeLongHeader(data)` with the whole data of each PAX ('x', 'g') and GNU long-name
 * ('L', 'K') entry while `_header` is that entry's header; for 'x' it leaves the decoded records in
 * `_pax`, the object it then hands over as `header.pax` of the next real entry.
 */
interface ExtractInternals {
  _header: { type?: string | null } | null;
  _pax: object | null;
  _decodeLongHeader(this: ExtractInternals, data: Buffer): void;
}

/** The PAX data behind an entry's header: the last global ('g') data and its own ('x') data. */
interface PaxData {
  global: Buffer | null;
  own: Buffer;
}

/** Where the raw data (later: its parsed records) rides along on tar-stream's `header.pax` object. */
const RAW = Symbol('berth.rawPax');

type RawSlot = { [RAW]?: PaxData | PaxRecords };

/**
 * The PAX records of an entry that came out of a rawPaxExtract, with values as the bytes in the tar
 * (global 'g' records merged under the entry's own 'x' records, as tar-stream merges them into
 * `header.pax`); undefined when the entry had no PAX header. Parsed on the first call, so entries
 * whose PAX headers hold no xattrs (mtime, long paths) cost no second parse. Throws invalid-argument
 * `malformed-layer` for records that parsePaxRecords rejects.
 */
export function rawPaxRecords(header: { name: string; pax?: unknown }): PaxRecords | undefined {
  if (typeof header.pax !== 'object' || header.pax === null) return undefined;
  const slot = header.pax as RawSlot;
  const data = slot[RAW];
  if (data === undefined || data instanceof Map) return data;
  try {
    const own = parsePaxRecords(data.own);
    const records = data.global === null ? own : new Map([...parsePaxRecords(data.global), ...own]);
    slot[RAW] = records;
    return records;
  } catch (err) {
    throw errors.invalidArgument('malformed-layer', `layer entry "${header.name}" has a malformed PAX header: ${messageOf(err)}`, {
      cause: err,
      details: { entry: header.name },
    });
  }
}

/**
 * A tar-stream extractor that also keeps the raw bytes of PAX headers (see rawPaxRecords).
 *
 * Why a hook: tar-stream decodes every PAX value as UTF-8 text, which replaces the bytes of binary
 * `SCHILY.xattr.*` values (security.capability) with U+FFFD, and it has no option to keep the raw
 * data (`filenameEncoding` covers only ustar names; the header object keeps no buffer). A Transform
 * in front of the extractor would have to re-implement tar framing (base-256 sizes, PAX `size`,
 * GNU long names) and agree with tar-stream on it for hostile input; wrapping the one method that
 * already receives the exact PAX data keeps tar-stream the only tar parser. Entries without PAX
 * headers cost nothing; a PAX header costs one property (its data is kept by reference: tar-stream
 * hands out slices of the input chunks, which streams never reuse) and is parsed again only when
 * asked for. The hook is checked when the extractor is made, and xattrsFromPax fails loudly if an
 * entry carries PAX xattrs but no raw data, so a tar-stream upgrade that moves these internals
 * breaks the tests instead of corrupting xattrs.
 */
export function rawPaxExtract(): Extract {
  const extract = tarExtract();
  const internals = extract as unknown as Partial<ExtractInternals>;
  const decode = internals._decodeLongHeader;
  if (typeof decode !== 'function' || !('_header' in extract) || !('_pax' in extract)) {
    throw errors.internal('tar-stream-incompatible', 'this tar-stream version has no _decodeLongHeader hook for raw PAX records');
  }
  let global: Buffer | null = null;
  internals._decodeLongHeader = function decodeLongHeader(this: ExtractInternals, data: Buffer): void {
    decode.call(this, data);
    const type = this._header?.type;
    if (type === 'pax-global-header') global = data;
    else if (type === 'pax-header' && this._pax !== null) (this._pax as RawSlot)[RAW] = { global, own: data };
  };
  return extract;
}
