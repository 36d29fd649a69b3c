/**
 * Event rules over the node's event log, one container event at a time:
 * - `oom`: fires on an `oom` event; resolved when the container starts again or is removed.
 * - `unhealthy`: fires on `health_status: unhealthy`; resolved by `health_status: healthy`, a
 *   start, or removal.
 * - `restart_loop`: fires when a container died `restarts` times within `within`; resolved when
 *   fewer deaths remain in the window (checked at each evaluation) or the container is removed.
 * - `node_down`: fires when a cluster manager records a node's state turning `down` (the `node`
 *   `update` event with `state.new=down`); resolved when it turns `ready` again or the node is
 *   removed. Only managers record node events, so only their rules see them.
 * - `detection`: fires when runtime detection records a `detection: <rule>` event of a container;
 *   resolved when the container is removed (or by `resolve_after`).
 * Any event rule with `resolve_after` is also resolved that long after the last event that fired it.
 */
import type { NodeEvent } from '../events/event-types.js';
import type { AlertRule } from './alert-rules-file.js';
import type { ContainerIdentity } from './metric-conditions.js';

export type EventVerdict = { kind: 'fire' | 'resolve'; container: ContainerIdentity } | undefined;

/** Where event rules read events: those recorded after `afterSeq`, oldest first (EventLog has it). */
export interface EventSource {
  read(query: { afterSeq: number; limit: number }): NodeEvent[];
  lastSeq(): number;
}

function identityOf(event: NodeEvent): ContainerIdentity {
  return { id: event.actor.id, name: (event.actor.attributes.name ?? '').replace(/^\//, ''), image: event.actor.attributes.image ?? '' };
}

/** What `event` means for `rule`; `windows` (restart loops: `<rule>/<id>` → death times) is updated in place. */
export function judgeEvent(rule: AlertRule, event: NodeEvent, windows: Record<string, number[]>): EventVerdict {
  if (rule.event === 'node_down') return judgeNodeEvent(event);
  if (event.type !== 'container' || rule.event === undefined) return undefined;
  const container = identityOf(event);
  const atMs = Number(event.timeNano / 1_000_000n);
  const { action } = event;
  if (action === 'destroy') {
    windows[`${rule.name}/${container.id}`] = []; // emptied windows are dropped by `pruneWindows`
    return { kind: 'resolve', container };
  }
  switch (rule.event) {
    case 'oom':
      if (action === 'oom') return { kind: 'fire', container };
      return action === 'start' ? { kind: 'resolve', container } : undefined;
    case 'unhealthy':
      if (action === 'health_status: unhealthy') return { kind: 'fire', container };
      return action === 'health_status: healthy' || action === 'start' ? { kind: 'resolve', container } : undefined;
    case 'detection':
      return action.startsWith('detection: ') ? { kind: 'fire', container } : undefined;
    case 'restart_loop': {
      if (action !== 'die') return undefined;
      const key = `${rule.name}/${container.id}`;
      const deaths = [...(windows[key] ?? []).filter((t) => t > atMs - (rule.within ?? 0)), atMs];
      windows[key] = deaths;
      return deaths.length >= (rule.restarts ?? 1) ? { kind: 'fire', container } : undefined;
    }
  }
}

/** A node event for node_down: the node as the subject (its id, its host name as `name`). */
function judgeNodeEvent(event: NodeEvent): EventVerdict {
  if (event.type !== 'node') return undefined;
  const node = { id: event.actor.id, name: event.actor.attributes.name ?? '', image: '' };
  if (event.action === 'remove') return { kind: 'resolve', container: node };
  if (event.action !== 'update') return undefined;
  const state = event.actor.attributes['state.new'];
  if (state === 'down') return { kind: 'fire', container: node };
  return state === 'ready' ? { kind: 'resolve', container: node } : undefined;
}

/** Restart-loop windows whose deaths fell below the rule's count by `nowMs`: those containers' alerts resolve. */
export function expiredLoops(rule: AlertRule, windows: Record<string, number[]>, nowMs: number): string[] {
  if (rule.event !== 'restart_loop') return [];
  const prefix = `${rule.name}/`;
  const ids: string[] = [];
  for (const [key, times] of Object.entries(windows)) {
    if (!key.startsWith(prefix)) continue;
    const kept = times.filter((t) => t > nowMs - (rule.within ?? 0));
    windows[key] = kept;
    if (times.length > 0 && kept.length < (rule.restarts ?? 1)) ids.push(key.slice(prefix.length));
  }
  return ids;
}

/** The windows without the emptied ones. */
export function pruneWindows(windows: Record<string, number[]>): Record<string, number[]> {
  return Object.fromEntries(Object.entries(windows).filter(([, times]) => times.length > 0));
}
