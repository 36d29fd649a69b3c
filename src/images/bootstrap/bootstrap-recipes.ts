import { errors } from '../../base/errors.js';
import type { ProcessRunner } from '../../base/process-runner.js';
import type { ContainerConfig } from '../../oci/schemas.js';
import { buildBusyboxRootfs } from './busybox-rootfs.js';
import { buildDebianRootfs } from './debian-rootfs.js';

/** `busybox`, or `debian:<suite>` (e.g. `debian:bookworm`). */
export type BootstrapKind = string;

export interface BootstrapRecipe {
  defaultName: string;
  config: ContainerConfig;
  createdBy: string;
}

const PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Fills `dir` with the root filesystem of `kind` and says how to describe the image. */
export async function bootstrapRootfs(kind: BootstrapKind, dir: string, runner: ProcessRunner, onProgress?: (line: string) => void): Promise<BootstrapRecipe> {
  if (kind === 'busybox') {
    onProgress?.('Building busybox root filesystem from the host busybox-static');
    await buildBusyboxRootfs(dir, runner);
    return { defaultName: 'busybox:latest', config: { Env: [PATH], Cmd: ['sh'] }, createdBy: 'berth image bootstrap busybox' };
  }
  const debian = /^debian:([a-z]+)$/.exec(kind);
  if (debian?.[1]) {
    const suite = debian[1];
    onProgress?.(`Running debootstrap --variant=minbase ${suite} (downloads ~50 MB of packages)`);
    await buildDebianRootfs(dir, runner, { suite, ...(onProgress !== undefined && { onProgress }) });
    return { defaultName: `debian:${suite}`, config: { Env: [PATH], Cmd: ['bash'] }, createdBy: `berth image bootstrap debian:${suite}` };
  }
  throw errors.invalidArgument('unknown-bootstrap', `cannot bootstrap "${kind}": choose busybox or debian:<suite> (e.g. debian:bookworm)`);
}
