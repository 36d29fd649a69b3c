/**
 * Questions to the file system where "not there" is an answer, not a failure: is this path there,
 * its stat if so, the names in a directory, a text file's contents. ENOENT (and ENOTDIR: a parent
 * is not a directory) means absent and is not logged. Any other failure (EACCES, EIO, ELOOP) is
 * answered as absent too, so that callers behave as they would for a missing path, but it is
 * logged as a warning through the caller's logger, with the path.
 */
import type { Stats } from 'node:fs';
import { access, lstat, readdir, readFile, stat } from 'node:fs/promises';
import { warnUnlessErrno, type Logger } from './logger.js';

const ABSENT = ['ENOENT', 'ENOTDIR'];

/** `work`'s answer, or `absent` when it fails (logged unless the path was not there). */
function orAbsent<T>(work: Promise<T>, absent: T, log: Logger, what: string, fields: Readonly<Record<string, string>>): Promise<T> {
  return work.catch((err: unknown) => {
    warnUnlessErrno(ABSENT, log, what, fields)(err);
    return absent;
  });
}

/** Whether `path` exists (access(2), following symlinks). */
export function pathExists(path: string, log: Logger): Promise<boolean> {
  return orAbsent(access(path).then(() => true), false, log, 'checking whether a path exists', { path });
}

/** `path`'s stat (following symlinks), or undefined when it does not exist. */
export function statIfPresent(path: string, log: Logger): Promise<Stats | undefined> {
  return orAbsent<Stats | undefined>(stat(path), undefined, log, 'reading the status of a path', { path });
}

/** `path`'s lstat (a symlink itself), or undefined when it does not exist. */
export function lstatIfPresent(path: string, log: Logger): Promise<Stats | undefined> {
  return orAbsent<Stats | undefined>(lstat(path), undefined, log, 'reading the status of a path', { path });
}

/** The names in directory `dir`; none when it does not exist. */
export function dirEntries(dir: string, log: Logger): Promise<string[]> {
  return orAbsent(readdir(dir), [], log, 'listing a directory', { dir });
}

/** The text of file `path`, or `fallback` when it does not exist. */
export function readTextOr(path: string, fallback: string, log: Logger): Promise<string> {
  return orAbsent(readFile(path, 'utf8'), fallback, log, 'reading a file', { path });
}
