/**
 * /proc/<pid>/mountinfo, parsed once (the kernel's proc(5) format): one mount per line,
 *
 *   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
 *   id parent dev root mount-point options [optional fields…] - fs-type source super-options
 *
 * Root, mount point, fs type and source have their space, tab, newline and backslash written as
 * octal escapes (`\040`); they are decoded here.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { errors } from '../base/errors.js';

/** One line of mountinfo. */
export interface MountinfoEntry {
  mountId: number;
  parentId: number;
  major: number;
  minor: number;
  /** The directory of the filesystem that is mounted (`/` unless a bind mount of a subtree). */
  root: string;
  /** Where it is mounted, as the reading process sees it. */
  mountPoint: string;
  /** Per-mount options (`rw`, `nosuid`, `relatime`, …). */
  options: string[];
  /** Propagation and other tagged fields (`shared:1`, `master:2`, `unbindable`). */
  optionalFields: string[];
  fsType: string;
  /** The filesystem's source (`/dev/vda`, `overlay`, `none`). */
  source: string;
  /** Per-superblock options, undecoded (`rw,lowerdir=…`, `rw,memory`). */
  superOptions: string[];
}

/** Decodes mountinfo's octal escapes (`\040` for a space, `\011`, `\012`, `\134`). */
export function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

function malformed(line: string): Error {
  return errors.invalidArgument('invalid-mountinfo', `mountinfo: malformed line: ${line}`);
}

function integer(field: string | undefined, line: string): number {
  if (field === undefined || !/^\d+$/.test(field)) throw malformed(line);
  return Number(field);
}

/** Parses one mountinfo line. Throws invalid-argument `invalid-mountinfo` naming the line. */
export function parseMountinfoLine(line: string): MountinfoEntry {
  const fields = line.split(' ');
  const sep = fields.indexOf('-', 6);
  const [mountId, parentId, device, root, mountPoint, options] = fields;
  const [fsType, source, superOptions] = fields.slice(sep + 1);
  const [major, minor, ...extra] = (device ?? '').split(':');
  if (sep < 0 || fields.length !== sep + 4 || extra.length > 0 || root === undefined || mountPoint === undefined
    || options === undefined || fsType === undefined || source === undefined || superOptions === undefined) {
    throw malformed(line);
  }
  return {
    mountId: integer(mountId, line),
    parentId: integer(parentId, line),
    major: integer(major, line),
    minor: integer(minor, line),
    root: unescapeMountField(root),
    mountPoint: unescapeMountField(mountPoint),
    options: options.split(','),
    optionalFields: fields.slice(6, sep),
    fsType: unescapeMountField(fsType),
    source: unescapeMountField(source),
    superOptions: superOptions.split(','),
  };
}

/** Parses mountinfo text (empty lines skipped). Throws invalid-argument `invalid-mountinfo`. */
export function parseMountinfo(text: string): MountinfoEntry[] {
  return text.split('\n').filter((line) => line.trim() !== '').map(parseMountinfoLine);
}

/** The mounts of this process's mount namespace, or of process `pid` (its mount points as it sees them). */
export async function readMountinfo(pid: number | 'self' = 'self'): Promise<MountinfoEntry[]> {
  return parseMountinfo(await readFile(`/proc/${pid}/mountinfo`, 'utf8'));
}

/** The mount points among `mounts` that are `dir` or below it, deepest first (for unmounting). */
export function mountPointsBelow(mounts: readonly MountinfoEntry[], dir: string): string[] {
  const root = resolve(dir);
  return mounts
    .map((mount) => mount.mountPoint)
    .filter((point) => point === root || point.startsWith(`${root}/`))
    .sort((a, b) => b.length - a.length);
}

/** `mountPointsBelow` over this process's mounts. */
export async function currentMountPointsBelow(dir: string): Promise<string[]> {
  return mountPointsBelow(await readMountinfo(), dir);
}
