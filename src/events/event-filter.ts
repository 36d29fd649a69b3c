/**
 * Docker's event filters (`GET /events?filters=…`, `docker events --filter k=v`). Values of one key
 * are alternatives; different keys must all match. `container`, `volume`, `network`, `plugin`,
 * `daemon`, `node`, `service`, `secret` and `config` match the actor's id or name by prefix (and
 * exclude events of other objects); `image` matches an image id or name exactly (with or without
 * tag); `event` matches the action (`health_status`, `exec_create`, `exec_start` also match their
 * longer forms); `label` is `key` or `key=value` over the attributes (every label given must match); `type` and `scope` exactly.
 */
import { errors } from '../base/errors.js';
import type { NodeEvent } from './event-types.js';

export type EventFilters = ReadonlyMap<string, readonly string[]>;

const NAMED = ['container', 'volume', 'network', 'plugin', 'daemon', 'node', 'service', 'secret', 'config'] as const;
const KNOWN = new Set<string>([...NAMED, 'image', 'event', 'label', 'type', 'scope']);
const PREFIX_ACTIONS = ['health_status', 'exec_create', 'exec_start'];

/** Throws invalid-argument (`invalid-filter`) for a key Docker does not know. */
export function checkEventFilters(filters: EventFilters): void {
  for (const key of filters.keys()) {
    if (!KNOWN.has(key)) throw errors.invalidArgument('invalid-filter', `filters: invalid filter '${key}'`);
  }
}

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
  const base = action.split(':')[0] ?? action;
  return values.some((v) => v === action || (PREFIX_ACTIONS.includes(v) && base === v));
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
      : (NAMED as readonly string[]).includes(key) ? event.type === key && matchNamed(values, event)
      : true;
    if (!ok) return false;
  }
  return true;
}
