import { errors } from '../../base/errors.js';
import type { OciSeccomp, OciSeccompSyscall } from '../spec/oci-runtime-spec.js';
import { DEFAULT_SECCOMP_PROFILE } from './default-profile.js';
import type { SeccompFilter, SeccompProfile } from './seccomp-profile.js';

/** A kernel version as `<kernel>.<major>` (6.18 → { kernel: 6, major: 18 }). */
export interface KernelVersion {
  kernel: number;
  major: number;
}

export interface SeccompEvaluationOptions {
  /** The profile to evaluate; Docker's default profile when absent. */
  profile?: SeccompProfile;
  /** Go/libseccomp name of the host arch (`amd64`, `arm64`, ...); `amd64` when absent. */
  arch?: string;
  /**
   * The host kernel, for `minKernel` conditions. When absent every `minKernel` condition counts as
   * met (berth's hosts run kernels far newer than any version the default profile names).
   */
  kernel?: KernelVersion;
}

/** Go/libseccomp arch name → the OCI arch its archMap entry is keyed by. */
const NATIVE_TO_OCI_ARCH: Readonly<Record<string, string>> = {
  x86: 'SCMP_ARCH_X86',
  amd64: 'SCMP_ARCH_X86_64',
  arm: 'SCMP_ARCH_ARM',
  arm64: 'SCMP_ARCH_AARCH64',
  loong64: 'SCMP_ARCH_LOONGARCH64',
  mips64: 'SCMP_ARCH_MIPS64',
  mips64n32: 'SCMP_ARCH_MIPS64N32',
  mipsel64: 'SCMP_ARCH_MIPSEL64',
  mips3l64n32: 'SCMP_ARCH_MIPSEL64N32',
  mipsle: 'SCMP_ARCH_MIPSEL',
  ppc: 'SCMP_ARCH_PPC',
  ppc64: 'SCMP_ARCH_PPC64',
  ppc64le: 'SCMP_ARCH_PPC64LE',
  riscv64: 'SCMP_ARCH_RISCV64',
  s390: 'SCMP_ARCH_S390',
  s390x: 'SCMP_ARCH_S390X',
};

/**
 * Evaluates a Docker-form seccomp profile for a container whose bounding capability set is `caps`
 * (`CAP_*` names), the way Docker does: architectures come from the archMap entry of the host arch
 * (or `architectures` as given); a rule is kept when all its `includes` hold and none of its
 * `excludes` does. Pure; the profile is not modified. Throws invalid-argument (reason
 * `invalid-seccomp-profile`) when a rule has both `name` and `names`, or the profile has both
 * `architectures` and `archMap`.
 */
export function seccompForCapabilities(caps: readonly string[], options: SeccompEvaluationOptions = {}): OciSeccomp {
  const profile = options.profile ?? DEFAULT_SECCOMP_PROFILE;
  const arch = options.arch ?? 'amd64';
  const capSet = new Set(caps);
  const architectures = architecturesFor(profile, arch);

  const syscalls: OciSeccompSyscall[] = [];
  for (const rule of profile.syscalls ?? []) {
    const names = namesOf(rule.name, rule.names);
    if (rule.excludes && excluded(rule.excludes, capSet, arch, options.kernel)) continue;
    if (rule.includes && !included(rule.includes, capSet, arch, options.kernel)) continue;
    const syscall: OciSeccompSyscall = { names, action: rule.action };
    if (rule.errnoRet !== undefined) syscall.errnoRet = rule.errnoRet;
    if (rule.args && rule.args.length > 0) syscall.args = rule.args.map((arg) => ({ ...arg }));
    syscalls.push(syscall);
  }

  const result: OciSeccomp = { defaultAction: profile.defaultAction };
  if (profile.defaultErrnoRet !== undefined) result.defaultErrnoRet = profile.defaultErrnoRet;
  if (architectures.length > 0) result.architectures = architectures;
  if (profile.flags && profile.flags.length > 0) result.flags = [...profile.flags];
  result.syscalls = syscalls;
  return result;
}

function architecturesFor(profile: SeccompProfile, arch: string): string[] {
  const direct = profile.architectures ?? [];
  const archMap = profile.archMap ?? [];
  if (direct.length > 0 && archMap.length > 0) {
    throw errors.invalidArgument(
      'invalid-seccomp-profile',
      "securityOpt seccomp: both 'architectures' and 'archMap' are specified; use one",
    );
  }
  if (direct.length > 0) return [...direct];
  const native = NATIVE_TO_OCI_ARCH[arch];
  const entry = archMap.find((candidate) => candidate.architecture === native);
  return entry ? [entry.architecture, ...(entry.subArchitectures ?? [])] : [];
}

function namesOf(name: string | undefined, names: string[] | null | undefined): string[] {
  if (name !== undefined && name !== '') {
    if (names && names.length > 0) {
      throw errors.invalidArgument(
        'invalid-seccomp-profile',
        `securityOpt seccomp: rule for ${name} has both 'name' and 'names'; use one`,
      );
    }
    return [name];
  }
  return [...(names ?? [])];
}

/** True when any condition of an `excludes` filter holds. */
function excluded(filter: SeccompFilter, caps: ReadonlySet<string>, arch: string, kernel?: KernelVersion): boolean {
  if (filter.arches?.includes(arch)) return true;
  if (filter.caps?.some((cap) => caps.has(cap))) return true;
  return filter.minKernel !== undefined && kernelAtLeast(kernel, filter.minKernel);
}

/** True when every condition of an `includes` filter holds. */
function included(filter: SeccompFilter, caps: ReadonlySet<string>, arch: string, kernel?: KernelVersion): boolean {
  if (filter.arches && filter.arches.length > 0 && !filter.arches.includes(arch)) return false;
  if (filter.caps && !filter.caps.every((cap) => caps.has(cap))) return false;
  return filter.minKernel === undefined || kernelAtLeast(kernel, filter.minKernel);
}

function kernelAtLeast(kernel: KernelVersion | undefined, minimum: string): boolean {
  if (kernel === undefined) return true;
  const [wantKernel = 0, wantMajor = 0] = minimum.split('.').map(Number);
  return kernel.kernel > wantKernel || (kernel.kernel === wantKernel && kernel.major >= wantMajor);
}
