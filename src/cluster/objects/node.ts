import { z } from 'zod';
import { labelsSchema, objectMetaSchema, resourceAmountsSchema } from './object-meta.js';

/**
 * A node: one berthd in the cluster. Three parts with three writers, as in Swarm:
 * - `spec`: what an operator sets (role, availability, labels) through `node update`;
 * - `description`: what the node reports about itself when it joins and when it changes
 *   (hostname, platform, the resources it offers, its engine's labels);
 * - `status`: what the control plane observes (ready while its heartbeat lease lives; down once
 *   the lease expired — only then are its tasks placed elsewhere; unknown before the first
 *   heartbeat and while a missed heartbeat is not yet a lost lease).
 */
export const NODE_ROLES = ['manager', 'worker'] as const;
export type NodeRole = (typeof NODE_ROLES)[number];

/** active: takes new tasks; pause: keeps its tasks, takes no new ones; drain: its tasks move away. */
export const NODE_AVAILABILITIES = ['active', 'pause', 'drain'] as const;
export type NodeAvailability = (typeof NODE_AVAILABILITIES)[number];

export const NODE_STATES = ['unknown', 'ready', 'down'] as const;
export type NodeState = (typeof NODE_STATES)[number];

export const nodeSpecSchema = z.object({
  role: z.enum(NODE_ROLES),
  availability: z.enum(NODE_AVAILABILITIES),
  labels: labelsSchema.default({}),
});
export type NodeSpec = z.infer<typeof nodeSpecSchema>;

export const platformSchema = z.object({ os: z.string().min(1), arch: z.string().min(1) });
export type NodePlatform = z.infer<typeof platformSchema>;

export const nodeDescriptionSchema = z.object({
  hostname: z.string().min(1).max(253),
  platform: platformSchema,
  /** What the node offers to tasks' reservations. */
  resources: resourceAmountsSchema,
  engineLabels: labelsSchema.default({}),
  /** The berth version the node runs (Swarm's Engine.EngineVersion). */
  engineVersion: z.string().optional(),
});
export type NodeDescription = z.infer<typeof nodeDescriptionSchema>;

export const nodeStatusSchema = z.object({
  state: z.enum(NODE_STATES),
  /** Why the node is in this state, for people ("heartbeat lease expired 12 s ago"). */
  message: z.string().default(''),
  /** The address the node's agent is reached at (no port). */
  addr: z.string().default(''),
});
export type NodeStatus = z.infer<typeof nodeStatusSchema>;

export const nodeSchema = objectMetaSchema.extend({
  spec: nodeSpecSchema,
  description: nodeDescriptionSchema,
  status: nodeStatusSchema,
  /** Managers: `ip:port` of the node's cluster port (Swarm's ManagerStatus.Addr). */
  managerAddr: z.string().optional(),
  /**
   * `ip:port` of the node's cluster port, which every member serves (managers the cluster's routes,
   * every node the logs of its own tasks, to managers). Absent on nodes recorded before it existed:
   * `status.addr` with the default port then.
   */
  portAddr: z.string().optional(),
});
export type Node = z.infer<typeof nodeSchema>;
