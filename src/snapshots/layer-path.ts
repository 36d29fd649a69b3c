import { errors } from '../base/errors.js';

/** The longest file name Linux filesystems take (NAME_MAX), in bytes. */
const NAME_MAX = 255;

/**
 * The normalized relative path of a tar entry name inside a layer: leading `/` stripped, `.` and
 * empty components dropped, `..` resolved lexically. `''` is the layer root. Throws invalid-argument
 * (reason `unsafe-layer-entry`) when `..` would climb above the root or a component holds a NUL,
 * and (reason `layer-entry-name-too-long`) for a component longer than a file name can be.
 */
export function normalizeEntryPath(name: string, what = 'entry'): string {
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part.includes('\0')) throw unsafe(name, what, 'contains a NUL byte');
    if (Buffer.byteLength(part) > NAME_MAX) {
      throw errors.invalidArgument('layer-entry-name-too-long', `layer ${what} "${name}" has a component longer than ${NAME_MAX} bytes`, { details: { entry: name } });
    }
    if (part === '..') {
      if (parts.pop() === undefined) throw unsafe(name, what, 'climbs out of the layer with ".."');
      continue;
    }
    parts.push(part);
  }
  return parts.join('/');
}

/** The parent of a normalized path (`''` for top-level entries and for the root itself). */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** The last component of a normalized path. */
export function baseNameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Joins a normalized parent path and a child name. */
export function joinEntryPath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}/${name}`;
}

export function unsafe(name: string, what: string, why: string): Error {
  return errors.invalidArgument('unsafe-layer-entry', `layer ${what} "${name}" ${why}`, { details: { entry: name } });
}
