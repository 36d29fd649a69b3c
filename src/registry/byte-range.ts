import { registryError } from './registry-errors.js';

/** An inclusive byte range [start, end] of a blob or an upload. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * The `Range: bytes=…` header of a blob GET against a blob of `size` bytes (one range only, as
 * registries serve). Returns undefined when there is no header or its unit is not bytes (serve
 * the whole blob); throws RANGE_INVALID when it cannot be satisfied.
 */
export function parseRangeHeader(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/.exec(header);
  if (!match) {
    if (/^\s*bytes\s*=/.test(header)) throw registryError('RANGE_INVALID', `unsupported range "${header}"`);
    return undefined;
  }
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') throw registryError('RANGE_INVALID', `unsupported range "${header}"`);
  let range: ByteRange;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) throw registryError('RANGE_INVALID', `empty suffix range "${header}"`);
    range = { start: Math.max(0, size - suffix), end: size - 1 };
  } else {
    const start = Number(first);
    const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
    if (last !== '' && Number(last) < start) throw registryError('RANGE_INVALID', `range "${header}" ends before it starts`);
    range = { start, end };
  }
  if (range.start >= size) throw registryError('RANGE_INVALID', `range "${header}" starts past the end of ${size} bytes`);
  return range;
}

/**
 * The `Content-Range: <start>-<end>` of a chunked upload PATCH (the spec's form, without a unit;
 * `bytes ` in front is accepted too). Returns undefined when absent; throws BLOB_UPLOAD_INVALID
 * (status 416 at the edge) when malformed.
 */
export function parseContentRange(header: string | undefined): ByteRange | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^\s*(?:bytes[ =])?\s*(\d+)\s*-\s*(\d+)(?:\/(?:\d+|\*))?\s*$/.exec(header);
  if (!match) throw registryError('RANGE_INVALID', `malformed Content-Range "${header}"`);
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (end < start) throw registryError('RANGE_INVALID', `Content-Range "${header}" ends before it starts`);
  return { start, end };
}

/** The upload status `Range` header: `0-<last byte>`, or `0-0` before any byte arrived (as distribution). */
export function uploadRangeHeader(size: number): string {
  return `0-${Math.max(0, size - 1)}`;
}
