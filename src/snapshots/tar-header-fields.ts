/**
 * tar-stream decodes a header's numeric fields without refusing bad ones: garbage octal becomes
 * NaN, a base-256 field without its 0x80/0xFF lead byte becomes null, a 0xFF one a negative
 * number, and an unparsable mtime an invalid Date. An entry whose size is not a number never ends
 * (tar-stream waits for its data forever), and the other fields make chown/chmod/utimes throw.
 * Every reader of tar entries checks the header here first. Pure.
 */
const NUMERIC_FIELDS = ['size', 'mode', 'uid', 'gid', 'devmajor', 'devminor'] as const;

/** The header fields checked (tar-stream's Header, each possibly missing or null). */
export type TarHeaderFields = { [K in (typeof NUMERIC_FIELDS)[number]]?: number | null } & { mtime?: Date | null };

/**
 * The name of the first malformed field of `header`, or undefined when all are well formed: the
 * size must be a non-negative integer; the others, when present, too (mtime a valid date).
 */
export function malformedTarField(header: TarHeaderFields): string | undefined {
  for (const field of NUMERIC_FIELDS) {
    const value = header[field];
    if (value === undefined || (value === null && field !== 'size')) continue;
    if (value === null || !Number.isSafeInteger(value) || value < 0) return field;
  }
  if (header.mtime instanceof Date && Number.isNaN(header.mtime.getTime())) return 'mtime';
  return undefined;
}
