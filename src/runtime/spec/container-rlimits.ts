import { errors } from '../../base/errors.js';
import type { Ulimit } from './container-options.js';
import type { OciRlimit } from './oci-runtime-spec.js';

/** The daemon's own hard limits: runc cannot raise a container's limit above them. */
export interface HostLimits {
  nofileHard: number;
  nprocHard: number;
}

/** Docker's (containerd's) usual open-files limit for containers, before clamping. */
export const DEFAULT_NOFILE = 1_048_576;

const NAMES = new Set([
  'as', 'core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc',
  'rss', 'rtprio', 'rttime', 'sigpending', 'stack',
]);

/**
 * `process.rlimits`: RLIMIT_NOFILE defaults to 1048576 (soft and hard); user ulimits replace a
 * default of the same name. nofile and nproc are clamped to the host's hard limits (soft too, so
 * soft ≤ hard holds), because without CAP_SYS_RESOURCE runc fails with "error setting rlimit"
 * otherwise. Throws invalid-argument (reason `invalid-ulimit`) naming `ulimits` for an unknown
 * name, a duplicate, a negative value (-1 = unlimited only for nofile/nproc) or soft > hard.
 */
export function containerRlimits(ulimits: readonly Ulimit[], host: HostLimits): OciRlimit[] {
  const byName = new Map<string, { soft: number; hard: number }>([['nofile', { soft: DEFAULT_NOFILE, hard: DEFAULT_NOFILE }]]);
  const seen = new Set<string>();
  for (const ulimit of ulimits) {
    const name = ulimit.name.toLowerCase();
    if (!NAMES.has(name)) throw errors.invalidArgument('invalid-ulimit', `ulimits: unknown limit "${ulimit.name}"`);
    if (seen.has(name)) throw errors.invalidArgument('invalid-ulimit', `ulimits: "${name}" given twice`);
    seen.add(name);
    const soft = limitValue(ulimit.soft, name);
    const hard = limitValue(ulimit.hard, name);
    if (soft > hard) throw errors.invalidArgument('invalid-ulimit', `ulimits: ${name} soft limit ${ulimit.soft} exceeds hard limit ${ulimit.hard}`);
    byName.set(name, { soft, hard });
  }
  const ceilings: Record<string, number> = { nofile: host.nofileHard, nproc: host.nprocHard };
  return [...byName].map(([name, { soft, hard }]) => {
    const ceiling = ceilings[name];
    const clampedHard = ceiling === undefined ? hard : Math.min(hard, ceiling);
    return { type: `RLIMIT_${name.toUpperCase()}`, soft: Math.min(soft, clampedHard), hard: clampedHard };
  });
}

/**
 * -1 (unlimited) is accepted for nofile and nproc only, where it means "the host's hard limit".
 * Elsewhere it would need RLIM_INFINITY (2^64-1), which a JS number cannot carry into JSON exactly.
 */
function limitValue(value: number, name: string): number {
  if (value === -1) {
    if (name === 'nofile' || name === 'nproc') return Number.MAX_SAFE_INTEGER;
    throw errors.invalidArgument('invalid-ulimit', `ulimits: ${name}=-1 (unlimited) is not supported; give a number`);
  }
  if (!Number.isSafeInteger(value) || value < 0) {
    throw errors.invalidArgument('invalid-ulimit', `ulimits: ${name} value ${value} is not a non-negative integer or -1`);
  }
  return value;
}
