import { expandWord, type VariableLookup } from '../dockerfile/shell-words.js';

function idOf(name: string, file: string | undefined, field: 2 | 3): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  for (const line of (file ?? '').split('\n')) {
    const parts = line.split(':');
    if (parts[0] === name && parts[field] !== undefined && /^\d+$/.test(parts[field])) return Number(parts[field]);
  }
  return undefined;
}

/**
 * `--chown=user[:group]` (names or ids) with the destination image's /etc/passwd and /etc/group.
 * Without a group: the user's primary group for a name, the same id for a number.
 */
export function resolveOwner(spec: string, lookup: VariableLookup, escape: string, passwd: string | undefined, group: string | undefined, fail: (message: string) => never): { uid: number; gid: number } {
  const [userName = '', groupName] = expandWord(spec, lookup, escape).split(':');
  const uid = idOf(userName, passwd, 2);
  if (uid === undefined) return fail(`--chown: unknown user "${userName}" (not in the image's /etc/passwd)`);
  if (groupName === undefined) {
    const primary = /^\d+$/.test(userName) ? uid : idOf(userName, passwd, 3);
    return { uid, gid: primary ?? uid };
  }
  const gid = idOf(groupName, group, 2);
  if (gid === undefined) return fail(`--chown: unknown group "${groupName}" (not in the image's /etc/group)`);
  return { uid, gid };
}
