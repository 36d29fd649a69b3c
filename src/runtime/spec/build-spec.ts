import { errors } from '../../base/errors.js';
import type { ContainerConfig } from '../../oci/schemas.js';
import { seccompForCapabilities, type KernelVersion } from '../seccomp/seccomp-for-capabilities.js';
import type { SeccompProfile } from '../seccomp/seccomp-profile.js';
import { containerCapabilities } from './capabilities.js';
import { commandLine } from './command-line.js';
import type { ContainerOptions } from './container-options.js';
import { DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS, containerMounts } from './container-mounts.js';
import { containerResources } from './container-resources.js';
import { containerRlimits, type HostLimits } from './container-rlimits.js';
import { containerSysctls } from './container-sysctls.js';
import { containerEnvironment } from './environment.js';
import type { OciDevice, OciNamespace, OciProcess, OciUser, RuntimeSpec } from './oci-runtime-spec.js';
import { resolveUser } from './resolve-user.js';
import { additionalGroups } from './additional-groups.js';
import { INIT_PATH_IN_CONTAINER, rootfsPropagationFor, type BindMountSpec } from './user-mounts.js';
import { parseSecurityOptions } from './security-options.js';

/** Everything `buildSpec` needs; it does no I/O of its own. */
export interface BuildSpecInput {
  /** The container id (64 hex); its first 12 characters are the default hostname. */
  id: string;
  /** The image config's `config` (Env, Cmd, Entrypoint, WorkingDir, User, ...); null/absent = empty. */
  image: ContainerConfig | null | undefined;
  options: ContainerOptions;
  /** The mounted root filesystem (absolute). */
  rootfsPath: string;
  /** Files berth writes per container, bind-mounted (read-write unless the root is read-only), as Docker does. */
  etcFiles: { hosts: string; hostname: string; resolvConf: string };
  /** A host directory to bind as /dev/shm (shareable IPC); a private tmpfs when absent. */
  shmPath?: string;
  /** Absolute cgroup path such as `/berth/<id>` (a relative one lands under the caller's cgroup). */
  cgroupsPath: string;
  /** The daemon's own hard limits; requested rlimits are clamped to them. */
  hostLimits: HostLimits;
  /** The image's /etc/passwd contents, for user names; absent = no file. */
  passwd?: string | undefined;
  /** The image's /etc/group contents; absent = no file. */
  group?: string | undefined;
  /** Docker-form profile evaluated for the container's capabilities (normally DEFAULT_SECCOMP_PROFILE). */
  seccompProfile: SeccompProfile;
  /**
   * The daemon's own bounding capabilities (e.g. `capabilitiesFromMask` of its CapBnd): privileged
   * and `capAdd: ['ALL']` get these rather than every capability Linux defines. Absent = all.
   */
  hostCapabilities?: readonly string[];
  /** The host kernel, for the profile's `minKernel` conditions; absent = every condition met. */
  hostKernel?: KernelVersion;
  /** Device nodes to create for a privileged container (the host's /dev, read by the caller). */
  hostDevices?: OciDevice[];
  /** Host paths and volume directories to bind (`-v`, `--mount`), resolved by the caller. */
  binds?: BindMountSpec[];
  /** The init binary on the host, needed when `options.init` is set. */
  initPath?: string;
  /** A network namespace (bind-mounted file) to join instead of creating one; ignored with host networking. */
  networkNamespacePath?: string;
  /** The variables of the container's legacy links (`--link`), after the defaults and before Env. */
  linkEnv?: readonly string[];
}

/** The runtime-spec version written into config.json (what runc 1.1.5 implements). */
export const OCI_VERSION = '1.0.2-dev';

/**
 * Builds a container's OCI runtime spec (config.json for runc) from the image config and the
 * user's options, matching what Docker writes: args from entrypoint/cmd, env defaults, resolved
 * user, Docker's default capabilities (bounding/effective/permitted only), namespaces, mounts,
 * masked and read-only paths, device rules, resources, rlimits clamped to the host, sysctls and
 * seccomp. `--privileged` gets every capability, every device, no seccomp, no masked/read-only
 * paths and a writable /sys. Labels stay out of the spec. AppArmor and SELinux fields are never set.
 *
 * Pure and deterministic. Throws invalid-argument (BerthError) naming the offending option when an
 * option is malformed or conflicts with another.
 */
export function buildSpec(input: BuildSpecInput): RuntimeSpec {
  const { options } = input;
  const image = input.image ?? {};
  const privileged = options.privileged === true;
  const hostNetwork = options.networkMode === 'host';
  const hostIpc = options.ipcMode === 'host';
  const hostPid = options.pidMode === 'host';
  const hostUts = options.utsMode === 'host';

  if (!input.cgroupsPath.startsWith('/')) {
    throw errors.invalidArgument('invalid-cgroups-path', `cgroupsPath "${input.cgroupsPath}" must be absolute`);
  }
  const hostname = options.hostname ?? input.id.slice(0, 12);
  if (hostname.length > 64) throw errors.invalidArgument('invalid-hostname', `hostname "${hostname}" is longer than 64 bytes`);
  const workingDir = options.workingDir ?? image.WorkingDir ?? '';
  if (workingDir !== '' && !workingDir.startsWith('/')) {
    throw errors.invalidArgument('invalid-working-dir', `workingDir "${workingDir}" must be an absolute path`);
  }
  if (options.oomScoreAdj !== undefined && !(Number.isSafeInteger(options.oomScoreAdj) && Math.abs(options.oomScoreAdj) <= 1000)) {
    throw errors.invalidArgument('invalid-oom-score-adj', `oomScoreAdj ${options.oomScoreAdj} is not an integer from -1000 to 1000`);
  }

  if (options.init === true && input.initPath === undefined) {
    throw errors.failedPrecondition('init-unavailable', 'init: no init binary is configured (berthd --init-path)');
  }
  const security = parseSecurityOptions(options.securityOpt ?? []);
  const capabilities = containerCapabilities({ ...options, available: input.hostCapabilities });
  const userSpec = options.user !== undefined && options.user !== '' ? options.user : (image.User ?? '');

  const process: OciProcess = {
    terminal: options.tty === true,
    user: userWithGroups(resolveUser(userSpec, input.passwd, input.group), options.groupAdd, input.group),
    args: options.init === true ? [INIT_PATH_IN_CONTAINER, '--', ...commandLine(options, image)] : commandLine(options, image),
    env: containerEnvironment({ imageEnv: image.Env, userEnv: options.env, hostname, tty: options.tty === true, linkEnv: input.linkEnv ?? [] }),
    cwd: workingDir === '' ? '/' : workingDir,
    capabilities: { bounding: capabilities, effective: [...capabilities], permitted: [...capabilities] },
    rlimits: containerRlimits(options.ulimits ?? [], input.hostLimits),
    noNewPrivileges: security.noNewPrivileges,
  };
  if (options.oomScoreAdj !== undefined) process.oomScoreAdj = options.oomScoreAdj;

  const namespaces: OciNamespace[] = [{ type: 'mount' }];
  if (!hostNetwork) namespaces.push(input.networkNamespacePath === undefined ? { type: 'network' } : { type: 'network', path: input.networkNamespacePath });
  if (!hostUts) namespaces.push({ type: 'uts' });
  if (!hostPid) namespaces.push({ type: 'pid' });
  if (!hostIpc) namespaces.push({ type: 'ipc' });
  if (options.cgroupnsMode !== 'host') namespaces.push({ type: 'cgroup' });

  const spec: RuntimeSpec = {
    ociVersion: OCI_VERSION,
    process,
    root: { path: input.rootfsPath, readonly: options.readOnly === true },
    mounts: containerMounts({
      etcFiles: input.etcFiles,
      shmPath: input.shmPath,
      shmSize: options.shmSize,
      tmpfs: options.tmpfs,
      readOnly: options.readOnly === true,
      privileged,
      hostIpc,
      binds: input.binds,
      initPath: options.init === true ? input.initPath : undefined,
    }),
    linux: {
      namespaces,
      cgroupsPath: input.cgroupsPath,
      resources: containerResources(options),
      sysctl: containerSysctls({
        sysctls: options.sysctls,
        privateNetwork: !hostNetwork,
        privateIpc: !hostIpc,
        privateUts: !hostUts,
        domainname: options.domainname,
      }),
    },
  };
  if (!hostUts) spec.hostname = hostname;
  const propagation = rootfsPropagationFor(input.binds ?? []);
  if (propagation !== undefined) spec.linux.rootfsPropagation = propagation;
  if (privileged) {
    if (input.hostDevices && input.hostDevices.length > 0) spec.linux.devices = input.hostDevices.map((device) => ({ ...device }));
  } else {
    spec.linux.maskedPaths = [...DEFAULT_MASKED_PATHS];
    spec.linux.readonlyPaths = [...DEFAULT_READONLY_PATHS];
    if (security.seccomp !== 'unconfined') {
      const profile = security.seccomp === 'default' ? input.seccompProfile : security.seccomp;
      spec.linux.seccomp = seccompForCapabilities(capabilities, input.hostKernel ? { profile, kernel: input.hostKernel } : { profile });
    }
  }
  return spec;
}

/**
 * The user with `--group-add`'s groups after its own (as dockerd appends them), each gid once.
 * Throws as additionalGroups.
 */
export function userWithGroups(user: OciUser, groupAdd: readonly string[] | undefined, group: string | undefined): OciUser {
  if (groupAdd === undefined || groupAdd.length === 0) return user;
  const own = user.additionalGids ?? [];
  const extra = additionalGroups(groupAdd, group, 'groupAdd').filter((gid) => !own.includes(gid));
  return { ...user, additionalGids: [...own, ...extra] };
}
