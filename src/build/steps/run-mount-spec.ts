/**
 * `RUN --mount=…` values → mount specs, as BuildKit's Dockerfile frontend defines them: a CSV list
 * of `key=value` fields (a bare key is a boolean `true`; a field may be double-quoted). Pure: no
 * I/O. Anything unknown (a type, a key, a value) is refused naming the Dockerfile line.
 */
import { posix } from 'node:path';
import { dockerfileError, type Instruction } from '../dockerfile/parse-dockerfile.js';

export type CacheSharing = 'shared' | 'private' | 'locked';

export interface BindMountSpec {
  type: 'bind';
  target: string;
  /** Path in the context (or in `from`), relative to its root; `.` for all of it. */
  source: string;
  /** A stage name or index, or an image reference; absent = the build context. */
  from?: string;
  /** Writable: writes go to a throw-away layer over the source. */
  readWrite: boolean;
}

export interface CacheMountSpec {
  type: 'cache';
  target: string;
  /** The cache's name across builds; defaults to the target. */
  id: string;
  sharing: CacheSharing;
  readOnly: boolean;
  /** Permission bits, owner and group of a new cache directory. */
  mode: number;
  uid: number;
  gid: number;
  /** What seeds a new cache directory: a stage or image, and a path in it. */
  from?: string;
  source: string;
}

export interface SecretMountSpec {
  type: 'secret';
  id: string;
  /** Where the file appears; absent with `env` = no file. */
  target?: string;
  /** Environment variable that gets the secret's value. */
  env?: string;
  required: boolean;
  mode: number;
  uid: number;
  gid: number;
}

export interface TmpfsMountSpec {
  type: 'tmpfs';
  target: string;
  /** Bytes; absent = the kernel's default. */
  sizeBytes?: number;
}

export type RunMountSpec = BindMountSpec | CacheMountSpec | SecretMountSpec | TmpfsMountSpec;

const KEYS: Record<RunMountSpec['type'], readonly string[]> = {
  bind: ['target', 'source', 'from', 'rw', 'readwrite', 'ro', 'readonly'],
  cache: ['target', 'id', 'sharing', 'ro', 'readonly', 'rw', 'readwrite', 'mode', 'uid', 'gid', 'from', 'source'],
  secret: ['id', 'target', 'env', 'required', 'mode', 'uid', 'gid'],
  tmpfs: ['target', 'size'],
};
const ALIASES: Record<string, string> = { dst: 'target', destination: 'target', src: 'source', readonly: 'ro', readwrite: 'rw' };

/** Splits a CSV record (`a=1,"b=2,3"`); a doubled quote inside quotes is a quote. */
export function splitCsv(text: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === '"') {
      if (quoted && text[i + 1] === '"') { current += '"'; i++; } else quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      fields.push(current);
      current = '';
    } else current += ch;
  }
  fields.push(current);
  return fields;
}

/** `64m`, `1g`, `512k`, `1048576` (as Docker's RAMInBytes) → bytes. */
export function parseSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)i?b?$/i.exec(text.trim());
  if (match === null) return undefined;
  const power = ' kmgtp'.indexOf((match[2] ?? '').toLowerCase() || ' ');
  return Math.floor(Number(match[1]) * 1024 ** power);
}

/**
 * Every `--mount` of a RUN, in order, each value first expanded (`expand`: the stage's ARG and
 * ENV values, as BuildKit does). Throws invalid-argument (`dockerfile-parse`) naming the line.
 */
export function parseRunMounts(file: string, instruction: Instruction, expand: (text: string) => string = (text) => text): RunMountSpec[] {
  const specs = instruction.flags.filter(([name]) => name === 'mount').map(([, value]) => parseRunMount(file, instruction.line, expand(value)));
  const targets = new Set<string>();
  for (const spec of specs) {
    if (spec.target === undefined) continue;
    if (targets.has(spec.target)) dockerfileError(file, instruction.line, `RUN --mount: two mounts have the target ${spec.target}`);
    targets.add(spec.target);
  }
  return specs;
}

function parseRunMount(file: string, line: number, value: string): RunMountSpec {
  const fail = (message: string): never => dockerfileError(file, line, `RUN --mount=${value}: ${message}`);
  const fields = new Map<string, string>();
  let type = 'bind';
  for (const field of splitCsv(value)) {
    if (field === '') continue;
    const eq = field.indexOf('=');
    const rawKey = (eq < 0 ? field : field.slice(0, eq)).trim().toLowerCase();
    const text = eq < 0 ? 'true' : field.slice(eq + 1);
    if (rawKey === 'type') { type = text; continue; }
    fields.set(Object.hasOwn(ALIASES, rawKey) ? ALIASES[rawKey] ?? rawKey : rawKey, text);
  }
  if (type === 'ssh') fail('type=ssh is not supported (berth builds have no SSH agent forwarding)');
  if (!Object.hasOwn(KEYS, type)) fail(`unknown mount type "${type}" (bind, cache, secret or tmpfs)`);
  const kind = type as RunMountSpec['type'];
  for (const key of fields.keys()) if (!KEYS[kind].includes(key)) fail(`unknown option "${key}" for type=${kind}`);
  const bool = (key: string): boolean | undefined => {
    const text = fields.get(key);
    if (text === undefined) return undefined;
    if (/^(true|1)$/i.test(text)) return true;
    if (/^(false|0)$/i.test(text)) return false;
    return fail(`${key}: expected true or false, got "${text}"`);
  };
  const int = (key: string, fallback: number, radix = 10): number => {
    const text = fields.get(key);
    if (text === undefined) return fallback;
    if (!(radix === 8 ? /^0?[0-7]{1,4}$/ : /^\d{1,10}$/).test(text)) fail(`${key}: invalid value "${text}"`);
    return parseInt(text, radix);
  };
  const target = (required: boolean): string | undefined => {
    const text = fields.get('target');
    if (text === undefined || text === '') return required ? fail('target= is required') : undefined;
    const clean = posix.resolve('/', text);
    if (clean === '/') fail('target= cannot be /');
    return clean;
  };
  const source = (): string => {
    const clean = posix.normalize(fields.get('source') ?? '.').replace(/^\/+/, '') || '.';
    if (clean === '..' || clean.startsWith('../')) fail('source= cannot climb out of its root');
    return clean;
  };
  const readOnly = (fallback: boolean): boolean => {
    const ro = bool('ro');
    const rw = bool('rw');
    return ro ?? (rw === undefined ? fallback : !rw);
  };
  const from = fields.get('from');
  switch (kind) {
    case 'bind':
      return { type: 'bind', target: target(true) ?? '', source: source(), readWrite: !readOnly(true), ...(from !== undefined && from !== '' && { from }) };
    case 'cache': {
      const sharing = fields.get('sharing') ?? 'shared';
      if (sharing !== 'shared' && sharing !== 'private' && sharing !== 'locked') fail(`sharing: expected shared, private or locked, got "${sharing}"`);
      const dir = target(true) ?? '';
      const id = fields.get('id');
      return {
        type: 'cache', target: dir, id: id === undefined || id === '' ? dir : id, sharing: sharing as CacheSharing, readOnly: readOnly(false),
        mode: int('mode', 0o755, 8), uid: int('uid', 0), gid: int('gid', 0), source: source(), ...(from !== undefined && from !== '' && { from }),
      };
    }
    case 'secret': {
      const id = fields.get('id');
      if (id === undefined || id === '') fail('id= is required');
      const env = fields.get('env');
      if (env !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(env)) fail(`env: "${env}" is not a variable name`);
      const path = target(false) ?? (env === undefined ? `/run/secrets/${id ?? ''}` : undefined);
      return {
        type: 'secret', id: id ?? '', required: bool('required') ?? false, mode: int('mode', 0o400, 8), uid: int('uid', 0), gid: int('gid', 0),
        ...(path !== undefined && { target: path }), ...(env !== undefined && { env }),
      };
    }
    case 'tmpfs': {
      const size = fields.get('size');
      const bytes = size === undefined ? undefined : parseSize(size);
      if (size !== undefined && bytes === undefined) fail(`size: invalid size "${size}"`);
      return { type: 'tmpfs', target: target(true) ?? '', ...(bytes !== undefined && { sizeBytes: bytes }) };
    }
  }
}

/** The text of a spec for the cache key (never a secret's value). */
export function mountKeyText(spec: RunMountSpec): string {
  switch (spec.type) {
    case 'bind': return `bind:${spec.target}:${spec.from ?? 'context'}:${spec.source}:${spec.readWrite ? 'rw' : 'ro'}`;
    case 'cache': return `cache:${spec.target}:${spec.id}:${spec.sharing}:${spec.readOnly ? 'ro' : 'rw'}:${spec.mode.toString(8)}:${spec.uid}:${spec.gid}:${spec.from ?? ''}:${spec.source}`;
    case 'secret': return `secret:${spec.id}:${spec.target ?? ''}:${spec.env ?? ''}:${spec.mode.toString(8)}:${spec.uid}:${spec.gid}`;
    case 'tmpfs': return `tmpfs:${spec.target}:${spec.sizeBytes ?? ''}`;
  }
}
