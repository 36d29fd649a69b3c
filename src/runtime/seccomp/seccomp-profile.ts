import { z } from 'zod';
import { parseJson } from '../../oci/parse-json.js';
import type { SeccompAction, SeccompOperator } from '../spec/oci-runtime-spec.js';

/**
 * A seccomp profile in Docker's JSON form (`docker run --security-opt seccomp=<file>`): the OCI
 * `linux.seccomp` shape plus conditions that are evaluated per container. A rule with `includes`
 * applies only when every listed capability is in the container's bounding set, the arch matches
 * and the kernel is new enough; a rule with `excludes` is dropped when any listed capability is
 * present, the arch matches or the kernel is at least that version. `seccompForCapabilities`
 * turns a profile into the unconditional OCI form.
 */

const actions = [
  'SCMP_ACT_KILL',
  'SCMP_ACT_KILL_PROCESS',
  'SCMP_ACT_KILL_THREAD',
  'SCMP_ACT_TRAP',
  'SCMP_ACT_ERRNO',
  'SCMP_ACT_TRACE',
  'SCMP_ACT_ALLOW',
  'SCMP_ACT_LOG',
  'SCMP_ACT_NOTIFY',
] as const satisfies readonly SeccompAction[];

const operators = [
  'SCMP_CMP_NE',
  'SCMP_CMP_LT',
  'SCMP_CMP_LE',
  'SCMP_CMP_EQ',
  'SCMP_CMP_GE',
  'SCMP_CMP_GT',
  'SCMP_CMP_MASKED_EQ',
] as const satisfies readonly SeccompOperator[];

const filterSchema = z.object({
  caps: z.array(z.string()).nullable().optional(),
  /** Go/libseccomp arch names: amd64, x86, x32, arm64, arm, s390x, ... */
  arches: z.array(z.string()).nullable().optional(),
  /** `<kernel>.<major>`, e.g. "4.8". */
  minKernel: z
    .string()
    .regex(/^\d+\.\d+$/, 'expected "<kernel>.<major>", e.g. "4.8"')
    .optional(),
});

const argSchema = z.object({
  index: z.number().int().min(0).max(5),
  value: z.number().int().nonnegative(),
  /** Absent or set (`exactOptional`): copied as is into the OCI spec's args. */
  valueTwo: z.number().int().nonnegative().exactOptional(),
  op: z.enum(operators),
});

const syscallSchema = z.object({
  name: z.string().optional(),
  names: z.array(z.string()).nullable().optional(),
  action: z.enum(actions),
  errnoRet: z.number().int().nonnegative().optional(),
  args: z.array(argSchema).nullable().optional(),
  comment: z.string().optional(),
  includes: filterSchema.nullable().optional(),
  excludes: filterSchema.nullable().optional(),
});

export const seccompProfileSchema = z.object({
  defaultAction: z.enum(actions),
  defaultErrnoRet: z.number().int().nonnegative().optional(),
  /** OCI arch names (SCMP_ARCH_X86_64, ...) used as given; exclusive with archMap. */
  architectures: z.array(z.string()).nullable().optional(),
  archMap: z
    .array(z.object({ architecture: z.string(), subArchitectures: z.array(z.string()).nullable().optional() }))
    .nullable()
    .optional(),
  flags: z.array(z.string()).nullable().optional(),
  syscalls: z.array(syscallSchema).nullable().optional(),
});

export type SeccompFilter = z.infer<typeof filterSchema>;
export type SeccompRule = z.infer<typeof syscallSchema>;
export type SeccompProfile = z.infer<typeof seccompProfileSchema>;

/**
 * Parses a profile given as JSON text (the contents of the file named by `--security-opt
 * seccomp=<file>`). Throws invalid-argument naming `securityOpt seccomp` and the offending field.
 */
export function parseSeccompProfile(text: string): SeccompProfile {
  return parseJson(seccompProfileSchema, text, 'securityOpt seccomp profile');
}
