/**
 * Docker's `-v` / HostConfig.Binds syntax on Linux:
 *
 *   /path                       anonymous volume            name:/path[:opts]   named volume
 *   /path:opts                  anonymous volume            /host:/path[:opts]  bind mount
 *
 * opts is a comma list of `ro`/`rw`, a propagation (`rprivate`, `rshared`, …, binds only), `z`/`Z`
 * (SELinux relabelling: accepted and ignored, this host has no SELinux) and `nocopy` (volumes only).
 */
import { errors } from '../base/errors.js';
import { checkTarget, checkVolumeName, isPropagation, type MountRequest, type Propagation } from './mount-request.js';

interface BindModes {
  readOnly: boolean;
  propagation?: Propagation;
  noCopy: boolean;
}

function isModeList(text: string): boolean {
  return text.split(',').every((mode) => ['ro', 'rw', 'z', 'Z', 'nocopy'].includes(mode) || isPropagation(mode));
}

function parseModes(text: string, spec: string, field: string): BindModes {
  const modes: BindModes = { readOnly: false, noCopy: false };
  let rw = 0;
  for (const mode of text === '' ? [] : text.split(',')) {
    if (mode === 'ro' || mode === 'rw') {
      rw++;
      modes.readOnly = mode === 'ro';
    } else if (mode === 'nocopy') modes.noCopy = true;
    else if (isPropagation(mode)) {
      if (modes.propagation !== undefined) throw errors.invalidArgument('invalid-mount', `${field}: invalid mode "${text}" in "${spec}": more than one propagation`);
      modes.propagation = mode;
    } else if (mode !== 'z' && mode !== 'Z') throw errors.invalidArgument('invalid-mount', `${field}: invalid mode "${mode}" in "${spec}"`);
  }
  if (rw > 1) throw errors.invalidArgument('invalid-mount', `${field}: invalid mode "${text}" in "${spec}": ro and rw given more than once`);
  return modes;
}

/** Parses one `-v` / Binds entry. Throws invalid-argument (`invalid-mount`, `invalid-volume-name`) naming `field`. */
export function parseBindSpec(spec: string, field = 'HostConfig.Binds'): MountRequest {
  const parts = spec.split(':');
  let source = '';
  let target: string;
  let modeText = '';
  if (parts.length === 1) target = parts[0] ?? '';
  else if (parts.length === 2 && isModeList(parts[1] ?? '') && (parts[0] ?? '').startsWith('/')) [target = '', modeText = ''] = parts;
  else if (parts.length === 2) [source = '', target = ''] = parts;
  else if (parts.length === 3) [source = '', target = '', modeText = ''] = parts;
  else throw errors.invalidArgument('invalid-mount', `${field}: invalid volume specification: "${spec}"`);
  if (target === '') throw errors.invalidArgument('invalid-mount', `${field}: invalid volume specification: "${spec}": no destination`);
  const cleanTarget = checkTarget(target, field);
  const modes = parseModes(modeText, spec, field);

  if (source.startsWith('/')) {
    if (modes.noCopy) throw errors.invalidArgument('invalid-mount', `${field}: "${spec}": nocopy applies to volumes, not to bind mounts`);
    return {
      type: 'bind', source: source.length > 1 ? source.replace(/\/+$/, '') : source, target: cleanTarget,
      readOnly: modes.readOnly, propagation: modes.propagation ?? 'rprivate', createHostPath: true,
    };
  }
  if (modes.propagation !== undefined) {
    throw errors.invalidArgument('invalid-mount', `${field}: "${spec}": propagation mode "${modes.propagation}" applies to bind mounts, not to volumes`);
  }
  if (source === '') return { type: 'volume', target: cleanTarget, readOnly: modes.readOnly, noCopy: modes.noCopy };
  return { type: 'volume', source: checkVolumeName(source, field), target: cleanTarget, readOnly: modes.readOnly, noCopy: modes.noCopy };
}
