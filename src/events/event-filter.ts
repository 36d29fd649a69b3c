/**
 * Docker's event filters (`GET /events?filters=…`, `docker events --filter k=v`), as dockerd applies
 * them. Values of one key are alternatives; different keys must all match; keys dockerd does not
 * know are ignored, as it ignores them. `container`, `volume`, `network`, `plugin`, `daemon`,
 * `node`, `service`, `secret` and `config` match the actor's id or `name` attribute by prefix, on
 * events of any type (dockerd's matching: `container=web` also passes a network named `webnet`);
 * `image` matches an image id or name exactly (with or without tag); `event` matches the action
 * exactly, or by prefix when one of the values is `health_status`, `exec_create`, `exec_start` or `detection`;
 * `label` is `key` or `key=value` over the attributes (every label given must match); `type` and
 * `scope` exactly.
 */
import type { NodeEvent } from './event-types.js';

export type EventFilters = ReadonlyMap<string, readonly string[]>;

const NAMED = ['container', 'volume', 'network', 'plugin', 'daemon', 'node', 'service', 'secret', 'config'] as const;
const PREFIX_ACTIONS = ['health_status', 'exec_create', 'exec_start', 'detection'];

function stripTag(name: string): string {
  if (name.startsWith('sha256:')) return name;
  const at = name.lastIndexOf(':');
  return at > name.lastIndexOf('/') ? name.slice(0, at) : name;
}

/** The familiar forms of a normalized image name: `docker.io/library/busybox:latest` → `busybox:latest`. */
function familiar(name: string): string {
  return name.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
}

function matchAction(values: readonly string[], action: string): boolean {
  const fuzzy = values.some((v) => PREFIX_ACTIONS.includes(v));
  return values.some((v) => v === action || (fuzzy && action.startsWith(v)));
}

function matchNamed(values: readonly string[], event: NodeEvent): boolean {
  const name = event.actor.attributes.name ?? '';
  return values.some((v) => event.actor.id.startsWith(v) || (name !== '' && name.startsWith(v)));
}

function matchImage(values: readonly string[], event: NodeEvent): boolean {
  const name = event.actor.attributes[event.type === 'image' ? 'name' : 'image'] ?? '';
  const candidates = new Set<string>();
  for (const value of [event.actor.id, name]) {
    if (value === '') continue;
    for (const form of [value, familiar(value)]) {
      candidates.add(form);
      candidates.add(stripTag(form));
    }
  }
  return values.some((v) => candidates.has(v));
}

function matchLabel(values: readonly string[], attributes: Record<string, string>): boolean {
  return values.every((v) => {
    const at = v.indexOf('=');
    return at < 0 ? v in attributes : attributes[v.slice(0, at)] === v.slice(at + 1);
  });
}

/** Whether `event` passes every filter. Pure. */
export function eventMatches(event: NodeEvent, filters: EventFilters): boolean {
  for (const [key, values] of filters) {
    if (values.length === 0) continue;
    const ok = key === 'type' ? values.includes(event.type)
      : key === 'scope' ? values.includes(event.scope)
      : key === 'event' ? matchAction(values, event.action)
      : key === 'image' ? matchImage(values, event)
      : key === 'label' ? matchLabel(values, event.actor.attributes)
      : (NAMED as readonly string[]).includes(key) ? matchNamed(values, event)
      : true;
    if (!ok) return false;
  }
  return true;
}
