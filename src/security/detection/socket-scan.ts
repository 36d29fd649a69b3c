/**
 * Raw and packet sockets open in containers' network namespaces: the process connector and
 * fanotify do not see sockets, so berthd reads the kernel's tables (/proc/<pid>/net/raw, raw6,
 * packet) of each watched container with a network namespace of its own, every interval, and
 * reports each socket once. A socket opened and closed between two scans is not seen.
 */
import { readFile } from 'node:fs/promises';
import { errnoCode } from '../../base/errors.js';
import type { SocketEvent } from './watch-events.js';

const TABLES = [['raw', 'raw'], ['raw6', 'raw'], ['packet', 'packet']] as const;

/** The sockets of one /proc/net table's text: raw ones (inode, IP protocol) or packet ones (inode, ethertype). */
export function socketsOfTable(kind: 'raw' | 'packet', text: string): { inode: number; protocol: string }[] {
  const sockets: { inode: number; protocol: string }[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const inode = Number(kind === 'raw' ? fields[9] : fields[8]);
    if (!Number.isSafeInteger(inode) || inode <= 0) continue;
    const protocol = kind === 'raw'
      ? String(parseInt(fields[1]?.split(':')[1] ?? '', 16))
      : `0x${(fields[3] ?? '').toLowerCase().padStart(4, '0')}`;
    sockets.push({ inode, protocol });
  }
  return sockets;
}

/** Reads the raw and packet sockets of the network namespace of `pid`; none when the process is gone. */
export async function socketsOfProcess(pid: number): Promise<{ kind: 'raw' | 'packet'; inode: number; protocol: string }[]> {
  const found: { kind: 'raw' | 'packet'; inode: number; protocol: string }[] = [];
  for (const [table, kind] of TABLES) {
    let text: string;
    try {
      text = await readFile(`/proc/${pid}/net/${table}`, 'utf8');
    } catch (err) {
      if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ESRCH') continue; // the process ended, or no such table in this kernel
      throw err;
    }
    for (const socket of socketsOfTable(kind, text)) found.push({ kind, ...socket });
  }
  return found;
}

/** The new sockets of a container since the last scan (`seen` is updated: it keeps the inodes still open). */
export function newSockets(cid: string, sockets: readonly { kind: 'raw' | 'packet'; inode: number; protocol: string }[], seen: Set<number>): SocketEvent[] {
  const fresh = sockets.filter((s) => !seen.has(s.inode)).map((s): SocketEvent => ({ ev: 'socket', cid, ...s }));
  seen.clear();
  for (const s of sockets) seen.add(s.inode);
  return fresh;
}
