/**
 * The mounts of `POST /containers/create`: HostConfig.Binds (`-v` syntax), HostConfig.Mounts
 * (`--mount`), and Config.Volumes (anonymous volumes) → the engine's mount requests. Validated at
 * the boundary (the schema: `../wire/mounts.ts`); errors name the field, with Docker's wording where clients show it.
 */
import { errors } from '../base/errors.js';
import { parseBindSpec } from '../volumes/bind-spec.js';
import { checkTarget, checkVolumeName, isPropagation, type MountRequest } from '../volumes/mount-request.js';
import type { MountBody } from '../wire/mounts.js';

function invalid(index: number, type: string, message: string): never {
  throw errors.invalidArgument('invalid-mount', `HostConfig.Mounts[${index}]: invalid mount config for type "${type}": ${message}`);
}

/** One HostConfig.Mounts entry. Throws invalid-argument (`invalid-mount`). */
export function mountRequestFromBody(body: MountBody, index: number): MountRequest {
  const type = body.Type;
  const field = `HostConfig.Mounts[${index}].Target`;
  const target = checkTarget(body.Target ?? '', field);
  const source = body.Source ?? '';
  const readOnly = body.ReadOnly ?? false;
  if (type !== 'bind' && body.BindOptions) invalid(index, type, 'BindOptions must not be specified');
  if (type !== 'volume' && body.VolumeOptions) invalid(index, type, 'VolumeOptions must not be specified');
  if (type !== 'tmpfs' && body.TmpfsOptions) invalid(index, type, 'TmpfsOptions must not be specified');
  if (type === 'bind') {
    if (source === '') invalid(index, type, 'field Source must not be empty');
    if (!source.startsWith('/')) invalid(index, type, `invalid mount path "${source}": mount path must be absolute`);
    const propagation = body.BindOptions?.Propagation ?? '';
    if (propagation !== '' && !isPropagation(propagation)) invalid(index, type, `invalid propagation mode "${propagation}"`);
    return {
      type, source, target, readOnly, propagation: propagation === '' ? 'rprivate' : propagation,
      createHostPath: body.BindOptions?.CreateMountpoint ?? false,
    };
  }
  if (type === 'volume') {
    const options = body.VolumeOptions;
    if (options?.Subpath !== undefined && options.Subpath !== null && options.Subpath !== '') invalid(index, type, 'Subpath is not supported');
    const request: MountRequest = { type, target, readOnly, noCopy: options?.NoCopy ?? false };
    if (source !== '') request.source = checkVolumeName(source, `HostConfig.Mounts[${index}].Source`);
    const driver = options?.DriverConfig?.Name;
    if (driver !== undefined && driver !== null && driver !== '') request.driver = driver;
    if (options?.DriverConfig?.Options) request.driverOptions = options.DriverConfig.Options;
    if (options?.Labels) request.labels = options.Labels;
    return request;
  }
  if (type === 'tmpfs') {
    if (source !== '') invalid(index, type, 'source must not be specified');
    const size = body.TmpfsOptions?.SizeBytes ?? 0;
    const mode = body.TmpfsOptions?.Mode ?? 0;
    if (size < 0) invalid(index, type, 'SizeBytes must not be negative');
    if (mode < 0 || mode > 0o7777) invalid(index, type, `Mode ${mode} is not a permission mode`);
    return { type, target, readOnly, ...(size > 0 ? { sizeBytes: size } : {}), ...(mode > 0 ? { mode } : {}) };
  }
  return invalid(index, type, 'mount type unknown (berth supports bind, volume and tmpfs)');
}

/**
 * Binds, then Mounts, then Config.Volumes (anonymous volumes). `volumeDriver` (HostConfig.VolumeDriver)
 * is the driver of the volumes of Binds and Config.Volumes, as in dockerd (Mounts name their own).
 */
export function mountRequestsFromBody(
  binds: readonly string[] | null | undefined,
  mounts: readonly MountBody[] | null | undefined,
  volumes: Readonly<Record<string, unknown>> | null | undefined,
  volumeDriver?: string,
): MountRequest[] {
  const driver = volumeDriver === undefined || volumeDriver === '' ? {} : { driver: volumeDriver };
  const requests: MountRequest[] = [];
  (binds ?? []).forEach((spec, index) => {
    const request = parseBindSpec(spec, `HostConfig.Binds[${index}]`);
    requests.push(request.type === 'volume' ? { ...request, ...driver } : request);
  });
  (mounts ?? []).forEach((body, index) => requests.push(mountRequestFromBody(body, index)));
  const taken = new Set(requests.map((r) => r.target));
  for (const path of Object.keys(volumes ?? {})) {
    const target = checkTarget(path, 'Volumes');
    // As Docker: a Config.Volumes entry that a bind or mount already covers adds nothing.
    if (!taken.has(target)) requests.push({ type: 'volume', target, readOnly: false, noCopy: false, ...driver });
  }
  return requests;
}
