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

/** Whether `path` exists (access(2), following symlinks). */
export async function pathExists(path: string, log: Logger): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch (err) {
    warnUnlessErrno(ABSENT, log, 'checking whether a path exists', { path })(err);
    return false;
  }
}

/** `path`'s stat (following symlinks), or undefined when it does not exist. */
export async function statIfPresent(path: string, log: Logger): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (err) {
    warnUnlessErrno(ABSENT, log, 'reading the status of a path', { path })(err);
    return undefined;
  }
}

/** `path`'s lstat (a symlink itself), or undefined when it does not exist. */
export async function lstatIfPresent(path: string, log: Logger): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (err) {
    warnUnlessErrno(ABSENT, log, 'reading the status of a path', { path })(err);
    return undefined;
  }
}

/** The names in directory `dir`; none when it does not exist. */
export async function dirEntries(dir: string, log: Logger): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    warnUnlessErrno(ABSENT, log, 'listing a directory', { dir })(err);
    return [];
  }
}

/** The text of file `path`, or `fallback` when it does not exist. */
export async function readTextOr(path: string, fallback: string, log: Logger): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    warnUnlessErrno(ABSENT, log, 'reading a file', { path })(err);
    return fallback;
  }
}
