import { z } from 'zod';
import { errors } from '../../base/errors.js';
import { labelsSchema, objectMetaSchema } from './object-meta.js';
import { serviceNameSchema } from './service.js';

/**
 * A network policy: which connections the tasks of the services it selects accept on their
 * cluster networks, as Kubernetes' NetworkPolicy (ingress rules, allow-only). A task that no
 * policy selects accepts every connection; once one selects it, only what a rule of a policy
 * selecting it allows gets in (replies to its own connections always do). Services are selected
 * by name or by labels; sources are services (by name or labels) or CIDR blocks.
 */

const cidrPattern = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/([0-9]|[12]\d|3[0-2])$/;

/** Services by name, or all services with these labels. */
export const serviceSelectorSchema = z.union([
  z.object({ service: serviceNameSchema }).strict(),
  z.object({ labels: labelsSchema.refine((l) => Object.keys(l).length > 0, { error: 'a label selector names at least one label' }) }).strict(),
]);
export type ServiceSelector = z.infer<typeof serviceSelectorSchema>;

/** Where an allowed connection may come from: a selected service's tasks, or an IPv4 block. */
export const policyPeerSchema = z.union([
  serviceSelectorSchema,
  z.object({ cidr: z.string().regex(cidrPattern, { error: 'want an IPv4 block such as 10.0.0.0/8' }) }).strict(),
]);
export type PolicyPeer = z.infer<typeof policyPeerSchema>;

export const policyPortSchema = z.object({
  protocol: z.enum(['tcp', 'udp']).default('tcp'),
  port: z.number().int().min(1, { error: 'a port is 1 to 65535' }).max(65535, { error: 'a port is 1 to 65535' }),
}).strict();
export type PolicyPort = z.infer<typeof policyPortSchema>;

/** One allow rule: from any of `from` (none: from anywhere) to any of `ports` (none: every port). */
export const policyRuleSchema = z.object({
  from: z.array(policyPeerSchema).max(256).default([]),
  ports: z.array(policyPortSchema).max(256).default([]),
}).strict();
export type PolicyRule = z.infer<typeof policyRuleSchema>;

/** Kubernetes' names: lowercase letters, digits and `-`, starting and ending with a letter or digit. */
export const policyNameSchema = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
  error: 'a policy name is 1–63 lowercase letters, digits or "-", starting and ending with a letter or digit',
});

export const networkPolicySpecSchema = z.object({
  name: policyNameSchema,
  labels: labelsSchema.default({}),
  /** The services whose tasks the policy guards. */
  target: serviceSelectorSchema,
  /** What gets in; no rule: nothing does. */
  ingress: z.array(policyRuleSchema).max(256).default([]),
}).strict();
export type NetworkPolicySpec = z.infer<typeof networkPolicySpecSchema>;
export type NetworkPolicySpecInput = z.input<typeof networkPolicySpecSchema>;

export const networkPolicySchema = objectMetaSchema.extend({ spec: networkPolicySpecSchema });
export type NetworkPolicy = z.infer<typeof networkPolicySchema>;

/** Checks an untrusted policy spec; invalid-argument `invalid-network-policy` naming the field. */
export function parseNetworkPolicySpec(value: unknown): NetworkPolicySpec {
  const parsed = networkPolicySpecSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = (issue?.path ?? []).map(String).join('.') || '(spec)';
  throw errors.invalidArgument('invalid-network-policy', `network policy: field ${field}: ${issue?.message ?? 'invalid'}`, { details: { field } });
}

/** Whether `selector` selects a service with this name and these labels. */
export function selectsService(selector: ServiceSelector, name: string, labels: Readonly<Record<string, string>>): boolean {
  if ('service' in selector) return selector.service === name;
  return Object.entries(selector.labels).every(([k, v]) => labels[k] === v);
}
