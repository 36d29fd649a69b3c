/**
 * The cluster's objects' changes as Docker's `swarm`-scoped events (what dockerd's managers put in
 * their event stream): type service, node, network, secret or config; action create, update or
 * remove; the object's id and its name, and for an update the changes that matter — a service's
 * image, replicas and update state (and, berth's, a job's run and the autoscaler's decision), a
 * node's availability, role and state. Pure: the caller gives the object before and after.
 */
import type { Node } from '../objects/node.js';
import type { Service } from '../objects/service.js';

export const EVENT_KINDS = ['service', 'node', 'network', 'secret', 'config'] as const;
export type ClusterEventKind = (typeof EVENT_KINDS)[number];

export interface ClusterEvent {
  readonly type: ClusterEventKind;
  readonly action: 'create' | 'update' | 'remove';
  readonly id: string;
  readonly attributes: Readonly<Record<string, string>>;
}

type Named = { readonly id: string; readonly version: number; readonly spec: { readonly name: string } };

/** One object before and after a write (absent before: created; absent after: removed). */
export type ObjectChange =
  | { readonly kind: 'service'; readonly before?: Service; readonly after?: Service }
  | { readonly kind: 'node'; readonly before?: Node; readonly after?: Node }
  | { readonly kind: 'network' | 'secret' | 'config'; readonly before?: Named; readonly after?: Named };

/** `key.old` and `key.new` when the value changed. */
function changed(attributes: Record<string, string>, key: string, before: string | undefined, after: string | undefined): void {
  if (before === after || after === undefined) return;
  if (before !== undefined) attributes[`${key}.old`] = before;
  attributes[`${key}.new`] = after;
}

function serviceChanges(before: Service, after: Service, attributes: Record<string, string>): void {
  changed(attributes, 'image', before.spec.taskTemplate.containerSpec.image, after.spec.taskTemplate.containerSpec.image);
  if (before.spec.mode.kind === 'replicated' && after.spec.mode.kind === 'replicated') {
    changed(attributes, 'replicas', String(before.spec.mode.replicas), String(after.spec.mode.replicas));
  }
  changed(attributes, 'updatestate', before.updateStatus?.state, after.updateStatus?.state);
  const run = (service: Service): string | undefined => (service.jobStatus === undefined ? undefined : String(service.jobStatus.iteration));
  changed(attributes, 'jobiteration', run(before), run(after));
  changed(attributes, 'autoscale', before.autoscaleStatus?.message, after.autoscaleStatus?.message);
}

function nodeChanges(before: Node, after: Node, attributes: Record<string, string>): void {
  changed(attributes, 'availability', before.spec.availability, after.spec.availability);
  changed(attributes, 'role', before.spec.role, after.spec.role);
  changed(attributes, 'state', before.status.state, after.status.state);
}

/**
 * The event of one object's change. An update is reported even when none of the watched fields
 * changed (as dockerd does: every write of the object is an update); undefined when there is
 * neither a before nor an after.
 */
export function clusterEventOf(change: ObjectChange): ClusterEvent | undefined {
  const object = change.after ?? change.before;
  if (object === undefined) return undefined;
  const attributes: Record<string, string> = { name: 'description' in object ? object.description.hostname : object.spec.name };
  if (change.kind === 'service' && change.before !== undefined && change.after !== undefined) serviceChanges(change.before, change.after, attributes);
  if (change.kind === 'node' && change.before !== undefined && change.after !== undefined) nodeChanges(change.before, change.after, attributes);
  const action = change.before === undefined ? 'create' : change.after === undefined ? 'remove' : 'update';
  return { type: change.kind, action, id: object.id, attributes };
}
