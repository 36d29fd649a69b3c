import type { FoundPackage } from '../package-types.js';

const TAG = { name: 1000, version: 1001, release: 1002, epoch: 1003, license: 1014, arch: 1022, sourcerpm: 1044 } as const;
const TYPE_INT32 = 4;
const TYPE_STRING = 6;
const TYPE_I18NSTRING = 9;

/**
 * One RPM header blob as the rpmdb stores it (the `Packages.blob` column of rpmdb.sqlite): a
 * big-endian index count and data length, 16-byte index entries (tag, type, offset, count), then
 * the data store. Throws on a blob whose entries point outside it.
 */
export function parseRpmHeader(blob: Buffer): Map<number, string | number> {
  if (blob.length < 8) throw new Error('header blob shorter than 8 bytes');
  const count = blob.readUInt32BE(0);
  const dataLength = blob.readUInt32BE(4);
  const dataStart = 8 + count * 16;
  if (count > 100_000 || dataStart + dataLength > blob.length) throw new Error('header index or data out of bounds');
  const values = new Map<number, string | number>();
  for (let i = 0; i < count; i++) {
    const at = 8 + i * 16;
    const tag = blob.readUInt32BE(at);
    const type = blob.readUInt32BE(at + 4);
    const offset = blob.readUInt32BE(at + 8);
    if (offset >= dataLength) throw new Error(`tag ${tag} points outside the data`);
    const start = dataStart + offset;
    if (type === TYPE_STRING || type === TYPE_I18NSTRING) {
      const end = blob.indexOf(0, start);
      if (end < 0 || end > dataStart + dataLength) throw new Error(`tag ${tag}: unterminated string`);
      values.set(tag, blob.toString('utf8', start, end));
    } else if (type === TYPE_INT32) {
      if (start + 4 > dataStart + dataLength) throw new Error(`tag ${tag}: int32 outside the data`);
      values.set(tag, blob.readInt32BE(start));
    }
  }
  return values;
}

/** The package a header describes (gpg-pubkey pseudo-packages are left out). */
export function rpmPackage(blob: Buffer, path: string): FoundPackage | undefined {
  const h = parseRpmHeader(blob);
  const name = h.get(TAG.name);
  const version = h.get(TAG.version);
  const release = h.get(TAG.release);
  if (typeof name !== 'string' || typeof version !== 'string' || name === 'gpg-pubkey') return undefined;
  const full = typeof release === 'string' && release !== '' ? `${version}-${release}` : version;
  const pkg: FoundPackage = { ecosystem: 'rpm', name, version: full, licenses: [], locations: [path] };
  const epoch = h.get(TAG.epoch);
  if (typeof epoch === 'number' && epoch !== 0) pkg.epoch = epoch;
  const arch = h.get(TAG.arch);
  if (typeof arch === 'string') pkg.arch = arch;
  const license = h.get(TAG.license);
  if (typeof license === 'string' && license !== '') pkg.licenses = [license];
  const srpm = h.get(TAG.sourcerpm);
  const m = typeof srpm === 'string' ? /^(.+)-([^-]+)-([^-]+)\.src\.rpm$/.exec(srpm) : null;
  if (m) pkg.source = { name: m[1] ?? name, version: `${m[2] ?? ''}-${m[3] ?? ''}` };
  return pkg;
}

/** Builds a header blob from tag values (for tests and fixtures: the inverse of parseRpmHeader). */
export function buildRpmHeader(values: [number, string | number][]): Buffer {
  const index: Buffer[] = [];
  const data: Buffer[] = [];
  let size = 0;
  for (const [tag, value] of values) {
    if (typeof value === 'number') {
      const pad = (4 - (size % 4)) % 4;
      if (pad) { data.push(Buffer.alloc(pad)); size += pad; }
    }
    const entry = Buffer.alloc(16);
    entry.writeUInt32BE(tag, 0);
    entry.writeUInt32BE(typeof value === 'number' ? TYPE_INT32 : TYPE_STRING, 4);
    entry.writeUInt32BE(size, 8);
    entry.writeUInt32BE(1, 12);
    index.push(entry);
    const bytes = typeof value === 'number' ? Buffer.alloc(4) : Buffer.from(`${value}\0`, 'utf8');
    if (typeof value === 'number') bytes.writeInt32BE(value, 0);
    data.push(bytes);
    size += bytes.length;
  }
  const head = Buffer.alloc(8);
  head.writeUInt32BE(values.length, 0);
  head.writeUInt32BE(size, 4);
  return Buffer.concat([head, ...index, ...data]);
}

export const RPM_TAGS = TAG;
