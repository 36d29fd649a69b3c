import { errors } from '../../base/errors.js';
import type { OciUser } from './oci-runtime-spec.js';

/**
 * Resolves a container's user spec (`name`, `uid`, `name:group`, `uid:gid`, empty = root) against
 * the image's /etc/passwd and /etc/group contents, as runc's libcontainer/user does for Docker:
 * - the user part matches a passwd entry by name or by uid (as text); a match gives uid, primary gid
 *   and the name used for supplementary groups; a numeric user without an entry is used as is
 *   (gid 0); a name without an entry is invalid-argument (`unknown-user`);
 * - an explicit group matches a group entry by name or gid; a numeric group without an entry is
 *   used as is; a name without an entry is invalid-argument (`unknown-group`);
 * - without an explicit group, the supplementary groups are those listing the user's name.
 * `additionalGids` starts with the primary gid, as Docker writes it. Missing files count as empty.
 */
export function resolveUser(spec: string, passwd: string | undefined, group: string | undefined): OciUser {
  const [userPart = '', groupPart = '', ...rest] = spec.split(':');
  if (rest.length > 0) throw errors.invalidArgument('invalid-user', `user "${spec}": expected user[:group]`);
  const userArg = userPart === '' ? '0' : userPart;

  let uid = 0;
  let gid = 0;
  let matchedName: string | undefined;
  const entry = parseEntries(passwd, 7).find((fields) => fields[0] === userArg || fields[2] === userArg);
  if (entry) {
    matchedName = entry[0];
    uid = parseId(entry[2] ?? '', `passwd entry for ${userArg}`);
    gid = parseId(entry[3] ?? '', `passwd entry for ${userArg}`);
  } else if (isNumeric(userArg)) {
    uid = parseId(userArg, `user "${spec}"`);
  } else {
    throw errors.invalidArgument('unknown-user', `user "${spec}": no user named ${userArg} in the image's /etc/passwd`);
  }

  const groups = parseEntries(group, 4);
  const supplementary: number[] = [];
  if (groupPart !== '') {
    const match = groups.find((fields) => fields[0] === groupPart || fields[2] === groupPart);
    if (match) gid = parseId(match[2] ?? '', `group entry for ${groupPart}`);
    else if (isNumeric(groupPart)) gid = parseId(groupPart, `user "${spec}"`);
    else throw errors.invalidArgument('unknown-group', `user "${spec}": no group named ${groupPart} in the image's /etc/group`);
  } else if (matchedName !== undefined) {
    const name = matchedName;
    for (const fields of groups) {
      const members = (fields[3] ?? '').split(',').map((member) => member.trim());
      if (members.includes(name)) supplementary.push(parseId(fields[2] ?? '', `group entry ${fields[0] ?? ''}`));
    }
  }
  return { uid, gid, additionalGids: [gid, ...supplementary] };
}

/** Non-comment lines of a colon-separated file with at least `minFields` fields. */
function parseEntries(text: string | undefined, minFields: number): string[][] {
  if (text === undefined) return [];
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split(':'))
    .filter((fields) => fields.length >= minFields);
}

function isNumeric(text: string): boolean {
  return /^\d+$/.test(text);
}

function parseId(text: string, what: string): number {
  const id = isNumeric(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(id) || id > 0x7fffffff) {
    throw errors.invalidArgument('invalid-user', `${what}: "${text}" is not a valid id (0 to 2147483647)`);
  }
  return id;
}
