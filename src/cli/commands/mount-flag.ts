/**
 * `--mount type=…,source=…,target=…` (CSV, as the docker CLI reads it) → a HostConfig.Mounts
 * entry, and `-v` values split into HostConfig.Binds and Config.Volumes. Pure; throws
 * invalid-argument (`invalid-flag`) naming the flag.
 */
import { errors } from '../../base/errors.js';
import { parseByteSize } from '../../base/byte-size.js';
import type { MountConfig } from '../../wire/mounts.js';

/** Splits one CSV record: commas separate fields, double quotes protect commas (`""` is a quote). */
export function csvFields(text: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { current += '"'; i++; } else if (c === '"') quoted = false;
      else current += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { fields.push(current); current = ''; } else current += c;
  }
  if (quoted) throw errors.invalidArgument('invalid-flag', `--mount ${text}: unterminated quote`);
  fields.push(current);
  return fields;
}

function bool(key: string, value: string | undefined, spec: string): boolean {
  if (value === undefined || value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw errors.invalidArgument('invalid-flag', `--mount ${spec}: invalid value for ${key}: ${value}`);
}

function keyValue(value: string, key: string, spec: string): [string, string] {
  const at = value.indexOf('=');
  if (at <= 0) throw errors.invalidArgument('invalid-flag', `--mount ${spec}: ${key} wants key=value, got "${value}"`);
  return [value.slice(0, at), value.slice(at + 1)];
}

/** One `--mount` value. Checks what the docker CLI checks; the daemon checks the rest. */
export function parseMountFlag(spec: string): MountConfig {
  let type = 'volume';
  let source: string | undefined;
  let target: string | undefined;
  let readOnly: boolean | undefined;
  const bind: NonNullable<MountConfig['BindOptions']> = {};
  const volume: NonNullable<MountConfig['VolumeOptions']> = {};
  const tmpfs: NonNullable<MountConfig['TmpfsOptions']> = {};
  for (const field of csvFields(spec)) {
    const at = field.indexOf('=');
    const key = (at < 0 ? field : field.slice(0, at)).trim().toLowerCase();
    const value = at < 0 ? undefined : field.slice(at + 1);
    const need = (): string => {
      if (value === undefined) throw errors.invalidArgument('invalid-flag', `--mount ${spec}: invalid field '${field}' must be a key=value pair`);
      return value;
    };
    switch (key) {
      case 'type': type = need(); break;
      case 'source': case 'src': source = need(); break;
      case 'target': case 'dst': case 'destination': target = need(); break;
      case 'readonly': case 'ro': readOnly = bool(key, value, spec); break;
      case 'consistency': need(); break;
      case 'bind-propagation': bind.Propagation = need(); break;
      case 'bind-create-mountpoint': bind.CreateMountpoint = bool(key, value, spec); break;
      case 'volume-nocopy': volume.NoCopy = bool(key, value, spec); break;
      case 'volume-driver': volume.DriverConfig = { ...volume.DriverConfig, Name: need() }; break;
      case 'volume-opt': {
        const [k, v] = keyValue(need(), key, spec);
        volume.DriverConfig = { ...volume.DriverConfig, Options: { ...volume.DriverConfig?.Options, [k]: v } };
        break;
      }
      case 'volume-label': {
        const [k, v] = keyValue(need(), key, spec);
        volume.Labels = { ...volume.Labels, [k]: v };
        break;
      }
      case 'tmpfs-size': tmpfs.SizeBytes = parseByteSize(need(), '--mount tmpfs-size'); break;
      case 'tmpfs-mode': {
        const mode = need();
        if (!/^[0-7]{1,4}$/.test(mode)) throw errors.invalidArgument('invalid-flag', `--mount ${spec}: tmpfs-mode ${mode}: want octal bits such as 1777`);
        tmpfs.Mode = parseInt(mode, 8);
        break;
      }
      default: throw errors.invalidArgument('invalid-flag', `--mount ${spec}: unexpected key '${key}'`);
    }
  }
  if (type !== 'bind' && type !== 'volume' && type !== 'tmpfs') throw errors.invalidArgument('invalid-flag', `--mount ${spec}: type ${type} is not supported (bind, volume, tmpfs)`);
  if (target === undefined || target === '') throw errors.invalidArgument('invalid-flag', `--mount ${spec}: target is required`);
  const mount: MountConfig = { Type: type, Target: target };
  if (source !== undefined) mount.Source = source;
  if (readOnly !== undefined) mount.ReadOnly = readOnly;
  const has = (o: object): boolean => Object.keys(o).length > 0;
  if (has(bind)) {
    if (type !== 'bind') throw errors.invalidArgument('invalid-flag', `--mount ${spec}: bind options with type ${type}`);
    mount.BindOptions = bind;
  }
  if (has(volume)) {
    if (type !== 'volume') throw errors.invalidArgument('invalid-flag', `--mount ${spec}: volume options with type ${type}`);
    mount.VolumeOptions = volume;
  }
  if (has(tmpfs)) {
    if (type !== 'tmpfs') throw errors.invalidArgument('invalid-flag', `--mount ${spec}: tmpfs options with type ${type}`);
    mount.TmpfsOptions = tmpfs;
  }
  return mount;
}

/** `-v` values: a lone path is an anonymous volume (Config.Volumes), the rest go to HostConfig.Binds. */
export function splitVolumeFlags(values: readonly string[]): { binds: string[]; volumes: Record<string, Record<string, never>> } {
  const binds: string[] = [];
  const volumes: Record<string, Record<string, never>> = {};
  for (const value of values) {
    if (value === '') throw errors.invalidArgument('invalid-flag', '--volume: empty value');
    if (!value.includes(':')) {
      if (!value.startsWith('/')) throw errors.invalidArgument('invalid-flag', `--volume ${value}: a volume needs a target path (name:/path), or an absolute path`);
      volumes[value] = {};
    } else binds.push(value);
  }
  return { binds, volumes };
}
