/**
 * The cluster port's bodies as schemas: what a manager accepts from a node (checked before the
 * backend sees it) and what a node accepts from a manager (checked before the agent sees it).
 * Each side validates what crosses to it; a failure is invalid-argument naming the field.
 */
import { overlayStateSchema } from '../../wire/overlays.js';
import { z } from 'zod';
import { errors } from '../../base/errors.js';
import { NODE_ROLES, nodeDescriptionSchema } from '../objects/node.js';
import { objectIdSchema } from '../objects/object-meta.js';
import { taskSchema, taskStatusSchema } from '../objects/task.js';

/** The most task statuses one report may carry. */
export const MAX_REPORTS_PER_CALL = 10_000;

const pemSchema = z.string().min(1).max(64 * 1024);

export const joinCallSchema = z.object({
  token: z.string().min(1).max(1024),
  publicKeyPem: pemSchema,
  description: nodeDescriptionSchema,
  addr: z.string().max(64),
  port: z.number().int().min(1).max(65_535),
});

export const statusReportsSchema = z.object({
  reports: z.array(z.object({ taskId: objectIdSchema, status: taskStatusSchema })).max(MAX_REPORTS_PER_CALL),
});

/** `?since=N` of the assignments route. */
export const assignmentsQuerySchema = z.object({ since: z.coerce.number().int().nonnegative().default(0) });

const flagSchema = z.enum(['0', '1']).default('0').transform((flag) => flag === '1');

/** The query of the task-logs route (a manager's call; see `taskLogPath`). */
export const taskLogQuerySchema = z.object({
  task: objectIdSchema,
  follow: flagSchema,
  timestamps: flagSchema,
  stdout: flagSchema,
  stderr: flagSchema,
  tail: z.coerce.number().int().nonnegative().optional(),
  since: z.string().max(64).regex(/^[0-9TZ:.+-]+$/, 'a time as Unix seconds or RFC 3339').optional(),
});

export const caAnswerSchema = z.object({ caCertPem: pemSchema });

/** A node's answer to `task-usage`. */
export const taskUsageAnswerSchema = z.object({
  usage: z.array(z.object({ taskId: z.string().min(1), cpuNanos: z.number().nonnegative(), memoryBytes: z.number().nonnegative() })).max(MAX_REPORTS_PER_CALL),
});

export const heartbeatAnswerSchema = z.object({ periodMs: z.number().int().positive(), role: z.enum(NODE_ROLES).optional() });

/** `?transition=1` of the heartbeat route. */
export const heartbeatQuerySchema = z.object({ transition: z.enum(['0', '1']).default('0').transform((flag) => flag === '1') });

export const roleCallSchema = z.object({ publicKeyPem: pemSchema });

export const assignmentsSchema = z.object({
  revision: z.number().int().nonnegative(),
  tasks: z.array(taskSchema),
  serviceNames: z.record(z.string(), z.string()),
  overlays: z.array(overlayStateSchema).default([]),
  files: z.array(z.object({ kind: z.enum(['secret', 'config']), id: objectIdSchema, data: z.base64() })).optional(),
});

export const dataKeySchema = z.object({ id: z.string().regex(/^[0-9a-f]{16}$/), key: z.base64(), createdAt: z.string() });

export const dataKeysAnswerSchema = z.object({ keys: z.array(dataKeySchema) });

const etcdJoinSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('member'), name: z.string(), initialCluster: z.array(z.object({ name: z.string(), peerUrl: z.string() })), clientUrls: z.array(z.string()),
    certPem: pemSchema, caCertPem: pemSchema,
  }),
  z.object({ mode: z.literal('external'), endpoints: z.array(z.string()) }),
]);

export const joinAnswerSchema = z.object({
  nodeId: objectIdSchema,
  role: z.enum(NODE_ROLES),
  clusterId: z.string().min(1),
  certPem: pemSchema,
  caCertPem: pemSchema,
  managers: z.array(z.object({ nodeId: objectIdSchema, addr: z.string().min(1) })),
  etcd: etcdJoinSchema.optional(),
  dataKeys: z.array(dataKeySchema).optional(),
});

export const roleAnswerSchema = joinAnswerSchema.omit({ nodeId: true, clusterId: true });

function fieldName(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(body)' : path.map(String).join('.');
}

/** `schema`'s output for `value`; invalid-argument `reason` naming the first field that is wrong. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string, reason: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = fieldName(issue?.path ?? []);
  throw errors.invalidArgument(reason, `${what}: field ${field}: ${issue?.message ?? 'invalid'}`, { details: { field } });
}
