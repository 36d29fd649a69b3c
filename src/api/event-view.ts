/**
 * A node event as Docker's event stream writes it: `Type`, `Action`, `Actor`, `scope`, `time`,
 * `timeNano`, and for containers and images the legacy `status`, `id`, `from`. `timeNano` is
 * beyond JavaScript's exact integers, so it is written as digits, not through a number.
 */
import type { NodeEvent } from '../events/event-types.js';
import type { EventMessage } from '../wire/events.js';

export function eventJson(event: NodeEvent): string {
  const legacy = event.type === 'container' || event.type === 'image'
    ? { status: event.action, id: event.actor.id, ...(event.type === 'container' && event.actor.attributes.image !== undefined ? { from: event.actor.attributes.image } : {}) }
    : {};
  const message: Omit<EventMessage, 'timeNano'> = {
    ...legacy,
    Type: event.type,
    Action: event.action,
    Actor: { ID: event.actor.id, Attributes: event.actor.attributes },
    scope: event.scope,
    time: Number(event.timeNano / 1_000_000_000n),
  };
  const body = JSON.stringify(message);
  return `${body.slice(0, -1)},"timeNano":${event.timeNano.toString()}}`;
}
