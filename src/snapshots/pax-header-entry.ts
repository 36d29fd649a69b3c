import { encodePaxRecords } from './pax-records.js';

/** The fields of the entry a PAX header precedes that its own ustar header repeats. */
export interface PaxHeaderFields {
  mode: number;
  uid: number;
  gid: number;
  mtime: Date;
  /** Set (to anything) when the entry is a link: the header's linkname is then `PaxHeader`. */
  linkname?: string | undefined;
  devmajor?: number | undefined;
  devminor?: number | undefined;
}

const BLOCK = 512;
const NAME = 'PaxHeader';

/**
 * A whole PAX extended header entry (typeflag 'x'): ustar header block, `records` (values written
 * as the given bytes), zero padding to a block. tar-stream's pack takes PAX values as strings only
 * and has no way to write an 'x' entry with a body, so the layer differ pushes these bytes itself.
 * The layout is exactly what tar-stream's pack writes for a header with `pax` (name `PaxHeader`,
 * the entry's mode, owner, mtime and device numbers, octal fields as its `encodeOct`), so that an
 * entry with text-only records comes out byte for byte as before.
 */
export function paxHeaderEntry(fields: PaxHeaderFields, records: Iterable<readonly [string, Buffer | string]>): Buffer {
  const data = encodePaxRecords(records);
  const block = Buffer.alloc(BLOCK);
  block.write(NAME, 0, 'latin1');
  block.write(octal(fields.mode & 0o7777, 6), 100, 'latin1');
  block.write(octal(fields.uid, 6), 108, 'latin1');
  block.write(octal(fields.gid, 6), 116, 'latin1');
  block.write(octal(data.length, 11), 124, 'latin1');
  block.write(octal((fields.mtime.getTime() / 1000) | 0, 11), 136, 'latin1');
  block.write('x', 156, 'latin1');
  if (fields.linkname !== undefined && fields.linkname !== '') block.write(NAME, 157, 'latin1');
  block.write('ustar\u000000', 257, 'latin1');
  block.write(octal(fields.devmajor ?? 0, 6), 329, 'latin1');
  block.write(octal(fields.devminor ?? 0, 6), 337, 'latin1');
  block.write(octal(checksum(block), 6), 148, 'latin1');
  const padding = (BLOCK - (data.length % BLOCK)) % BLOCK;
  return Buffer.concat([block, data, Buffer.alloc(padding)]);
}

/** tar-stream's encodeOct: `digits` octal digits and a space, all 7s when the value does not fit. */
function octal(value: number, digits: number): string {
  const text = value.toString(8);
  return `${text.length > digits ? '7'.repeat(digits) : text.padStart(digits, '0')} `;
}

/** The ustar header checksum: the sum of all bytes, the checksum field counted as spaces. */
function checksum(block: Buffer): number {
  let sum = 8 * 0x20;
  for (let i = 0; i < BLOCK; i++) if (i < 148 || i >= 156) sum += block[i] ?? 0;
  return sum;
}
