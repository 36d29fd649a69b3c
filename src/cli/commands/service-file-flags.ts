/**
 * `service create --secret` and `--config`, as docker's: `NAME`, or
 * `source=NAME[,target=FILE][,uid=N][,gid=N][,mode=0400]` (mode in octal). The file name defaults
 * to the source's name; the manager resolves the name to the object's id.
 */
import { errors } from '../../base/errors.js';

export interface ServiceFileReference {
  File: { Name: string; UID: string; GID: string; Mode: number };
  SecretName?: string;
  ConfigName?: string;
}

const FIELDS = new Set(['source', 'src', 'target', 'uid', 'gid', 'mode']);

/** One `--secret` or `--config` value; invalid-argument `invalid-flag` naming the flag and the part. */
export function serviceFileReference(kind: 'secret' | 'config', value: string): ServiceFileReference {
  const flag = `--${kind}`;
  const bad = (why: string): Error => errors.invalidArgument('invalid-flag', `${flag} ${value}: ${why}`);
  const fields = new Map<string, string>();
  if (!value.includes('=')) fields.set('source', value);
  else {
    for (const part of value.split(',')) {
      const eq = part.indexOf('=');
      const key = eq < 0 ? part : part.slice(0, eq).trim().toLowerCase();
      if (eq < 0 || !FIELDS.has(key)) throw bad(`unknown field "${part}" (want source=NAME[,target=FILE][,uid=N][,gid=N][,mode=OCTAL])`);
      fields.set(key === 'src' ? 'source' : key, part.slice(eq + 1));
    }
  }
  const source = fields.get('source') ?? '';
  if (source === '') throw bad(`a ${kind} name is required (source=NAME)`);
  const mode = fields.get('mode') ?? '0444';
  if (!/^[0-7]{1,4}$/.test(mode)) throw bad(`mode ${mode} is not an octal file mode`);
  for (const id of ['uid', 'gid'] as const) {
    const given = fields.get(id);
    if (given !== undefined && !/^\d+$/.test(given)) throw bad(`${id} ${given} is not a number`);
  }
  const file = { Name: fields.get('target') || source, UID: fields.get('uid') ?? '0', GID: fields.get('gid') ?? '0', Mode: parseInt(mode, 8) };
  return kind === 'secret' ? { File: file, SecretName: source } : { File: file, ConfigName: source };
}
