/**
 * One entry of a `cp` upload (`PUT /containers/{id}/archive`), read from its untrusted tar header
 * and checked before anything is written: its normalized path inside the extraction directory,
 * its type, and its owner as host ids. Pure.
 */
import { errors } from '../base/errors.js';
import type { LayerEntry } from '../snapshots/layer-writer.js';
import { normalizeEntryPath, unsafe } from '../snapshots/layer-path.js';
import { malformedTarField } from '../snapshots/tar-header-fields.js';

export type UploadKind = 'file' | 'directory' | 'symlink' | 'link' | 'character-device' | 'block-device' | 'fifo';

export interface Owner {
  uid: number;
  gid: number;
}

export interface UploadEntry {
  /** The name as the tar has it (for messages). */
  name: string;
  /** Normalized, relative to the extraction directory; `''` is the directory itself. */
  path: string;
  kind: UploadKind;
  mode: number;
  /** Host ids (see UploadIds). */
  owner: Owner;
  mtime: Date;
  /** A symlink's or hard link's target as the tar has it. */
  linkname: string;
  /** A hard link's target as a normalized path (`''` for other entries). */
  linkPath: string;
  devmajor: number;
  devminor: number;
}

/**
 * How tar ids become host ids: `override` (the container user's ids, `copyUIDGID`) replaces the
 * tar's; then `idMap` (`--userns auto`) maps container id k to host id uid+k / gid+k, ids of
 * `size` or more to the range's nobody.
 */
export interface UploadIds {
  override?: Owner;
  idMap?: { uid: number; gid: number; size: number };
}

/** What a user namespace shows for an id it does not map (nobody). */
const OVERFLOW_ID = 65534;

/** The host ids of container ids `uid`/`gid`. */
export function hostOwner(ids: UploadIds, uid: number, gid: number): Owner {
  const map = ids.idMap;
  if (map === undefined) return { uid, gid };
  const shift = (id: number, base: number): number => base + (id < map.size ? id : OVERFLOW_ID);
  return { uid: shift(uid, map.uid), gid: shift(gid, map.gid) };
}

/** The host ids of the container's root, owner of the parents an upload makes (copyUIDGID aside). */
export function rootOwner(ids: UploadIds): Owner {
  return hostOwner(ids.idMap === undefined ? {} : { idMap: ids.idMap }, 0, 0);
}

const KINDS: Readonly<Record<string, UploadKind>> = {
  file: 'file',
  'contiguous-file': 'file',
  directory: 'directory',
  symlink: 'symlink',
  link: 'link',
  'character-device': 'character-device',
  'block-device': 'block-device',
  fifo: 'fifo',
};

/**
 * The checked entry of a tar header, checked as image layers' are. Throws invalid-argument:
 * `malformed-layer` for a bad numeric field; `unsafe-layer-entry` for a name or hard-link target
 * that climbs out with `..` or holds a NUL, a non-directory named `.`, a hard link to the
 * extraction directory itself; `layer-entry-name-too-long`; `unsupported-layer-entry` for other
 * entry types.
 */
export function uploadEntryOf(header: LayerEntry['header'], ids: UploadIds): UploadEntry {
  const name = header.name;
  const malformed = malformedTarField(header);
  if (malformed !== undefined) {
    throw errors.invalidArgument('malformed-layer', `layer entry "${name}" has a malformed ${malformed} field`, { details: { entry: name, field: malformed } });
  }
  const path = normalizeEntryPath(name);
  const type: string = header.type ?? 'unknown';
  const kind = KINDS[type];
  if (kind === undefined) {
    throw errors.invalidArgument('unsupported-layer-entry', `layer entry "${name}" has unsupported type ${type}`, { details: { entry: name, type } });
  }
  if (path === '' && kind !== 'directory') throw unsafe(name, 'entry', 'names the layer root but is not a directory');
  const linkname = header.linkname ?? '';
  // An absolute target names a path of the upload, as in Docker (`/etc/passwd` is `etc/passwd`).
  const linkPath = kind === 'link' ? normalizeEntryPath(linkname, `hard link target of "${name}"`) : '';
  if (kind === 'link' && linkPath === '') throw unsafe(name, 'entry', 'is a hard link to the layer root');
  const tarOwner = ids.override ?? { uid: header.uid ?? 0, gid: header.gid ?? 0 };
  return {
    name,
    path,
    kind,
    mode: (header.mode ?? (kind === 'directory' ? 0o755 : 0o644)) & 0o7777,
    owner: hostOwner(ids, tarOwner.uid, tarOwner.gid),
    mtime: header.mtime ?? new Date(0),
    linkname,
    linkPath,
    devmajor: header.devmajor ?? 0,
    devminor: header.devminor ?? 0,
  };
}
