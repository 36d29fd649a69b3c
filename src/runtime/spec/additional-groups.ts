/**
 * `--group-add` (HostConfig.GroupAdd): supplementary groups named or numbered, resolved against the
 * container's /etc/group at start as runc's `GetAdditionalGroups` resolves them for dockerd. Pure.
 */
import { errors } from '../../base/errors.js';

const MAX_ID = 0x7fffffff;

interface GroupEntry {
  name: string;
  gid: number;
}

function groupEntries(text: string | undefined): GroupEntry[] {
  const entries: GroupEntry[] = [];
  for (const raw of (text ?? '').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [name = '', , gid = ''] = line.split(':');
    // runc skips entries it cannot parse; a gid must be a decimal number.
    if (/^\d+$/.test(gid)) entries.push({ name, gid: Number(gid) });
  }
  return entries;
}

/**
 * The gids of `groupAdd` in order, each once. Each value takes the first entry of `group` whose
 * name or gid (as text) it equals and whose gid is not taken yet; otherwise it must be a number
 * (used as is). As runc, a name given twice therefore fails the second time. Throws
 * invalid-argument (`unknown-group`) with runc's message for a name without an entry, and
 * (`invalid-group`) for a number outside 0..2147483647; `field` prefixes both.
 */
export function additionalGroups(groupAdd: readonly string[], group: string | undefined, field: string): number[] {
  const entries = groupEntries(group);
  const gids: number[] = [];
  for (const wanted of groupAdd) {
    const entry = entries.find((e) => (e.name === wanted || String(e.gid) === wanted) && !gids.includes(e.gid));
    if (entry !== undefined) {
      gids.push(entry.gid);
      continue;
    }
    if (!/^[+-]?\d+$/.test(wanted)) {
      throw errors.invalidArgument('unknown-group', `${field}: Unable to find group ${wanted}: no matching entries in group file`);
    }
    const gid = Number(wanted);
    if (!Number.isSafeInteger(gid) || gid < 0 || gid > MAX_ID) {
      throw errors.invalidArgument('invalid-group', `${field}: ${wanted}: uids and gids must be in range 0-${MAX_ID}`);
    }
    if (!gids.includes(gid)) gids.push(gid);
  }
  return gids;
}
