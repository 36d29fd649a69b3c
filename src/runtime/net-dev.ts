/**
 * Network counters of a process's network namespace, from `/proc/<pid>/net/dev` (what the
 * namespace's interfaces have received and sent). Loopback is left out, as Docker does.
 */
import { readFile } from 'node:fs/promises';
import { componentLogger, warnUnlessErrno } from '../base/logger.js';

const log = componentLogger('runtime');

export interface InterfaceCounters {
  rxBytes: number;
  rxPackets: number;
  rxErrors: number;
  rxDropped: number;
  txBytes: number;
  txPackets: number;
  txErrors: number;
  txDropped: number;
}

/** Parses the text of a net/dev file: interface name → counters, `lo` excluded. */
export function parseNetDev(text: string): Map<string, InterfaceCounters> {
  const out = new Map<string, InterfaceCounters>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const fields = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (name === 'lo' || name === '' || fields.length < 16 || fields.some((n) => !Number.isFinite(n))) continue;
    const at = (i: number): number => fields[i] ?? 0;
    out.set(name, {
      rxBytes: at(0), rxPackets: at(1), rxErrors: at(2), rxDropped: at(3),
      txBytes: at(8), txPackets: at(9), txErrors: at(10), txDropped: at(11),
    });
  }
  return out;
}

/** The counters of `pid`'s namespace; empty when the process is gone. */
export async function readNetDev(pid: number): Promise<Map<string, InterfaceCounters>> {
  // ENOENT, ESRCH: the process is gone.
  const text = await readFile(`/proc/${pid}/net/dev`, 'utf8').catch((err: unknown) => {
    warnUnlessErrno(['ENOENT', 'ESRCH'], log, 'reading the network counters of a process', { pid })(err);
    return '';
  });
  return parseNetDev(text);
}
