/**
 * PAX extended header records (POSIX.1-2001 `pax`): `<len> <key>=<value>\n`, where `<len>` is the
 * decimal byte count of the whole record, its own digits included. Keys are UTF-8 text; values are
 * bytes. Most values are text too, but GNU tar and Docker write `SCHILY.xattr.<name>` values as the
 * raw xattr bytes (e.g. `security.capability`), so values are kept as Buffers here, never decoded.
 */
export type PaxRecords = Map<string, Buffer>;

const SPACE = 0x20;
const EQUALS = 0x3d;
const NEWLINE = 0x0a;

/**
 * The records of a PAX header's data, later keys winning (as in tar-stream and Go's archive/tar).
 * Stricter than tar-stream's own decoder, like Go's: throws an Error for a record whose length is
 * not a decimal number, runs past the data, does not end in a newline or has no `=` (tar-stream
 * silently drops the rest), so that no value is ever taken from a misread record.
 */
export function parsePaxRecords(data: Buffer): PaxRecords {
  const records: PaxRecords = new Map();
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(SPACE, offset);
    const digits = space < 0 ? '' : data.toString('latin1', offset, space);
    const length = /^[0-9]{1,10}$/.test(digits) ? Number(digits) : NaN;
    const end = offset + length;
    if (!(length > digits.length + 1) || end > data.length || data[end - 1] !== NEWLINE) {
      throw new Error(`malformed PAX record at byte ${offset} of an extended header`);
    }
    const equals = data.indexOf(EQUALS, space + 1);
    if (equals <= space + 1 || equals >= end - 1) throw new Error(`PAX record at byte ${offset} has no key=value`);
    records.set(data.toString('utf8', space + 1, equals), data.subarray(equals + 1, end - 1));
    offset = end;
  }
  return records;
}

/**
 * PAX header data holding `records` in order, byte for byte as tar-stream's pack would write them
 * (so that text-only records give the same tar as before), but with values written as given bytes.
 */
export function encodePaxRecords(records: Iterable<readonly [string, Buffer | string]>): Buffer {
  const parts: Buffer[] = [];
  for (const [key, value] of records) {
    const body = Buffer.concat([Buffer.from(` ${key}=`, 'utf8'), typeof value === 'string' ? Buffer.from(value, 'utf8') : value, Buffer.from('\n')]);
    let digits = String(body.length).length;
    if (String(body.length + digits).length > digits) digits++;
    parts.push(Buffer.from(String(body.length + digits), 'latin1'), body);
  }
  return Buffer.concat(parts);
}
