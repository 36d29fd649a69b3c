/**
 * A minimal busybox root filesystem, shaped like Docker's `busybox` image: the host's static
 * busybox (Debian's busybox-static) as /bin/busybox, one symlink per applet in /bin, root and
 * nobody in /etc/passwd and /etc/group, and the usual empty top-level directories. No network
 * and no package manager: for tests and benchmarks that need a tiny image that runs anywhere.
 */
import { chmod, copyFile, mkdir, open, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, errors } from '../../base/errors.js';
import type { ProcessRunner } from '../../base/process-runner.js';

/** Options of buildBusyboxRootfs. */
export interface BusyboxRootfsOptions {
  /** The static busybox binary to copy (default /bin/busybox, from Debian's busybox-static). */
  busyboxPath?: string;
}

const DIRECTORIES: readonly [string, number][] = [
  ['bin', 0o755], ['dev', 0o755], ['etc', 0o755], ['home', 0o755], ['proc', 0o555], ['root', 0o700],
  ['sys', 0o555], ['tmp', 0o1777], ['usr', 0o755], ['var', 0o755], ['var/spool', 0o755], ['var/www', 0o755],
];

const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n';
const GROUP = 'root:x:0:\nnobody:x:65534:\n';

/**
 * Fills `dir` (missing or empty) with a busybox rootfs. Throws not-found (`busybox-missing`) when
 * the busybox binary is absent, failed-precondition (`busybox-not-static`) when it is dynamically
 * linked (it would not run inside the rootfs), failed-precondition (`rootfs-dir-not-empty`) when
 * `dir` has entries. On failure `dir` may hold a partial tree: the caller removes it.
 */
export async function buildBusyboxRootfs(
  dir: string,
  runner: ProcessRunner,
  options: BusyboxRootfsOptions = {},
): Promise<void> {
  const busybox = options.busyboxPath ?? '/bin/busybox';
  await assertStatic(busybox);
  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length > 0) {
    throw errors.failedPrecondition('rootfs-dir-not-empty', `${dir}: not empty; a rootfs is built into an empty directory`);
  }
  for (const [name, mode] of DIRECTORIES) {
    await mkdir(join(dir, name), { recursive: true });
    await chmod(join(dir, name), mode);
  }
  await copyFile(busybox, join(dir, 'bin', 'busybox'));
  await chmod(join(dir, 'bin', 'busybox'), 0o755);
  const { stdout } = await runner.run(busybox, ['--list']);
  const applets = new Set(stdout.split('\n').map((line) => line.trim()).filter((name) => /^[\w.[\]-]+$/.test(name)));
  applets.delete('busybox');
  for (const applet of applets) await symlink('busybox', join(dir, 'bin', applet));
  await writeFile(join(dir, 'etc', 'passwd'), PASSWD, { mode: 0o644 });
  await writeFile(join(dir, 'etc', 'group'), GROUP, { mode: 0o644 });
  for (const empty of ['hosts', 'resolv.conf']) await writeFile(join(dir, 'etc', empty), '', { mode: 0o644 });
}

/** Reads the ELF program headers: a PT_INTERP entry means the binary needs a dynamic loader. */
async function assertStatic(path: string): Promise<void> {
  let header: Buffer;
  let programHeaders: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      header = Buffer.alloc(64);
      await handle.read(header, 0, 64, 0);
      if (header.readUInt32BE(0) !== 0x7f454c46 || header[4] !== 2 || header[5] !== 1) {
        throw errors.failedPrecondition('busybox-not-static', `${path}: not a 64-bit little-endian ELF binary`);
      }
      const offset = Number(header.readBigUInt64LE(0x20));
      const size = header.readUInt16LE(0x36) * header.readUInt16LE(0x38);
      programHeaders = Buffer.alloc(size);
      await handle.read(programHeaders, 0, size, offset);
    } finally {
      await handle.close();
    }
  } catch (cause) {
    if (errnoCode(cause) !== 'ENOENT') throw cause;
    throw errors.notFound('busybox-missing', `${path}: not found; install Debian's busybox-static (apt-get install busybox-static)`, { cause });
  }
  const entrySize = header.readUInt16LE(0x36);
  for (let at = 0; at + 4 <= programHeaders.length; at += entrySize) {
    if (programHeaders.readUInt32LE(at) === 3) {
      throw errors.failedPrecondition('busybox-not-static', `${path}: dynamically linked; install busybox-static instead of busybox`);
    }
  }
}
