/**
 * The policy file's schema (zod): a list of rules, each with a `kind`, a `mode` and an optional
 * `match` (image patterns). Strict objects: an unknown field is an error naming it.
 */
import { z } from 'zod';
import { parseByteSize } from '../../base/byte-size.js';
import { SEVERITIES } from '../../wire/security.js';
import { HOST_NAMESPACES, POLICY_MODES } from './admission-request.js';

const RULE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

const common = {
  name: z.string().regex(RULE_NAME, 'a rule name is letters, digits, _ . - (at most 63)').optional(),
  mode: z.enum(POLICY_MODES),
  /** Image patterns the rule applies to (glob on the normalised reference or its repository); absent = every image. */
  match: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
};

const byteSize = z.union([z.number().int().positive(), z.string().min(1)]).transform((value, ctx) => {
  if (typeof value === 'number') return value;
  try {
    return parseByteSize(value, 'max');
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a size (e.g. 512m, 2g)` });
    return z.NEVER;
  }
});

const hostPath = z.string().refine((path) => path.startsWith('/'), { error: 'want an absolute host path' });
const capability = z.string().regex(/^(CAP_)?[A-Za-z_]+$/, 'want a capability name such as NET_ADMIN, or ALL');
const labelValues = z.union([z.null(), z.string(), z.array(z.string()).min(1)]);

export const ruleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...common, kind: z.literal('vulnerabilities'), severity: z.enum(SEVERITIES), unscanned: z.enum(['scan', 'refuse']) }),
  z.strictObject({ ...common, kind: z.literal('registries'), allow: z.array(z.string().min(1)).min(1) }),
  z.strictObject({ ...common, kind: z.literal('no-latest') }),
  z.strictObject({ ...common, kind: z.literal('digest') }),
  z.strictObject({ ...common, kind: z.literal('no-privileged') }),
  z.strictObject({ ...common, kind: z.literal('no-host-namespaces'), namespaces: z.array(z.enum(HOST_NAMESPACES)).min(1).optional() }),
  z.strictObject({ ...common, kind: z.literal('no-bind-mounts'), paths: z.array(hostPath).min(1) }),
  z.strictObject({ ...common, kind: z.literal('capabilities'), allow: z.array(capability) }),
  z.strictObject({ ...common, kind: z.literal('non-root') }),
  z.strictObject({ ...common, kind: z.literal('memory-limit'), max: byteSize.optional() }),
  z.strictObject({ ...common, kind: z.literal('required-labels'), labels: z.record(z.string().min(1), labelValues) }),
  /** Signed by one of `keys` (public key files, relative to the policy file's directory). */
  z.strictObject({ ...common, kind: z.literal('signed'), keys: z.array(z.string().min(1)).min(1) }),
], { error: () => `missing or unknown rule kind (want one of ${RULE_KINDS.join(', ')})` });

export const RULE_KINDS = [
  'vulnerabilities', 'registries', 'no-latest', 'digest', 'no-privileged', 'no-host-namespaces', 'no-bind-mounts',
  'capabilities', 'non-root', 'memory-limit', 'required-labels', 'signed',
] as const;

export const policyFileSchema = z.strictObject({
  version: z.literal(1).optional(),
  rules: z.array(ruleSchema),
});

export type RuleSpec = z.infer<typeof ruleSchema>;
export type RuleKind = RuleSpec['kind'];
