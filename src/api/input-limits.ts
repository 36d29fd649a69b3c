/**
 * berth's limits on the free-form parts of API requests — names, labels, environment, command
 * arguments, a few strings and lists, the JSON body as a whole — so that a request cannot make
 * the database or a container's config grow without bound. dockerd has none of these; each is far
 * above real use, and a request beyond one is refused (400, invalid-argument `input-too-large`)
 * with a message naming the field, its size and the limit. Sizes are UTF-8 bytes.
 */
import { errors } from '../base/errors.js';

const KiB = 1024;
const MiB = 1024 * KiB;

export const INPUT_LIMITS = {
  /** A JSON request body (tar bodies — build contexts, archives, image loads — are streamed, without limit). */
  jsonBodyBytes: 4 * MiB,
  /** A container, network or volume name (a volume's name is a directory name: NAME_MAX). */
  nameBytes: 255,
  /** One label's key. */
  labelKeyBytes: 1 * KiB,
  /** One label's value. */
  labelValueBytes: 64 * KiB,
  /** The keys and values of all the labels of one object (container, image build, network, volume). */
  labelsTotalBytes: 256 * KiB,
  /** One `KEY=value` entry of Env (Linux's MAX_ARG_STRLEN: execve takes no longer string). */
  envEntryBytes: 128 * KiB,
  /** All the Env entries of a container or exec. */
  envTotalBytes: 1 * MiB,
  /** One argument of Cmd or Entrypoint (MAX_ARG_STRLEN). */
  argumentBytes: 128 * KiB,
  /** All the arguments of Cmd and Entrypoint together. */
  argumentsTotalBytes: 1 * MiB,
  /** Hostname (Linux's HOST_NAME_MAX: sethostname takes no longer name). */
  hostnameBytes: 64,
  /** Domainname (a DNS name is at most 253). */
  domainnameBytes: 255,
  /** WorkingDir (PATH_MAX). */
  workingDirBytes: 4 * KiB,
  /** User (`name`, `uid:gid`, …). */
  userBytes: 256,
  /** ExtraHosts entries, and the bytes of one (`name:address`). */
  extraHosts: 4096,
  extraHostBytes: 1 * KiB,
  /** Dns and DnsSearch entries each, and the bytes of one entry. */
  dnsEntries: 64,
  dnsEntryBytes: 255,
  /** Binds, Mounts, Tmpfs and Volumes of one container together. */
  mounts: 1024,
} as const;

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** A string as a message quotes it: JSON, cut after 40 characters. */
export function quoted(text: string): string {
  return text.length > 40 ? `${JSON.stringify(text.slice(0, 40)).slice(0, -1)}…"` : JSON.stringify(text);
}

function tooLarge(message: string): never {
  throw errors.invalidArgument('input-too-large', message);
}

/** Refuses `text` longer than `limit` bytes: `<what> is N bytes, the limit is L`. */
export function checkBytes(what: string, text: string | null | undefined, limit: number): void {
  const size = bytes(text ?? '');
  if (size > limit) tooLarge(`${what} is ${size} bytes, the limit is ${limit}`);
}

/** Refuses a list with more than `limit` entries. */
export function checkCount(what: string, count: number, limit: number): void {
  if (count > limit) tooLarge(`${what}: ${count} entries, the limit is ${limit}`);
}

/** A container, network or volume name. */
export function checkName(kind: 'container' | 'network' | 'volume', name: string | null | undefined): void {
  checkBytes(`${kind} name ${quoted(name ?? '')}`, name, INPUT_LIMITS.nameBytes);
}

/** One object's labels: each key, each value, and all of them together. `what` names them (`label`, `HostConfig.Mounts[0] label`). */
export function checkLabels(labels: Readonly<Record<string, string | null>> | null | undefined, what = 'label'): void {
  let total = 0;
  for (const [key, value] of Object.entries(labels ?? {})) {
    checkBytes(`${what} key ${quoted(key)}`, key, INPUT_LIMITS.labelKeyBytes);
    checkBytes(`${what} ${quoted(key)} value`, value, INPUT_LIMITS.labelValueBytes);
    total += bytes(key) + bytes(value ?? '');
  }
  const plural = what === 'label' ? 'labels' : `${what}s`;
  if (total > INPUT_LIMITS.labelsTotalBytes) tooLarge(`${plural} are ${total} bytes in all, the limit is ${INPUT_LIMITS.labelsTotalBytes}`);
}

/** A list of strings: each at most `each` bytes, all together at most `total` bytes. */
export function checkStrings(what: string, list: readonly string[] | null | undefined, each: number, total: number): void {
  let sum = 0;
  (list ?? []).forEach((entry, index) => {
    checkBytes(`${what}[${index}] ${quoted(entry)}`, entry, each);
    sum += bytes(entry);
  });
  if (sum > total) tooLarge(`${what} is ${sum} bytes in all, the limit is ${total}`);
}

/** Env entries (of a container or an exec). */
export function checkEnv(env: readonly string[] | null | undefined, what = 'Env'): void {
  checkStrings(what, env, INPUT_LIMITS.envEntryBytes, INPUT_LIMITS.envTotalBytes);
}

/** Command arguments: Cmd and Entrypoint (or an exec's Cmd), each argument and all together. */
export function checkArguments(lists: Readonly<Record<string, readonly string[] | undefined>>): void {
  let sum = 0;
  for (const [what, list] of Object.entries(lists)) {
    checkStrings(what, list, INPUT_LIMITS.argumentBytes, INPUT_LIMITS.argumentsTotalBytes);
    sum += (list ?? []).reduce((n, arg) => n + bytes(arg), 0);
  }
  const names = Object.keys(lists).join(' and ');
  if (sum > INPUT_LIMITS.argumentsTotalBytes) tooLarge(`${names} are ${sum} bytes in all, the limit is ${INPUT_LIMITS.argumentsTotalBytes}`);
}

/** An exec's command, environment, user and working directory. */
export function checkExecLimits(body: { Cmd: readonly string[]; Env?: readonly string[] | null | undefined; User?: string | null | undefined; WorkingDir?: string | null | undefined }): void {
  checkArguments({ Cmd: body.Cmd });
  checkEnv(body.Env);
  checkBytes('User', body.User, INPUT_LIMITS.userBytes);
  checkBytes('WorkingDir', body.WorkingDir, INPUT_LIMITS.workingDirBytes);
}
