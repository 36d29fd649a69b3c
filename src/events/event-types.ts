/**
 * One event of the node, in the terms of Docker's event stream: an object of some `type` (the
 * Actor: its id and a few attributes) had an `action` at `timeNano`. `seq` orders events as they
 * were recorded; it never repeats, even after old events are dropped.
 */

/** The object types Docker reports; berth adds none of its own. */
export const EVENT_TYPES = ['container', 'image', 'volume', 'network', 'daemon', 'plugin', 'service', 'node', 'secret', 'config', 'builder'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface EventActor {
  /** Container id, image id or reference, volume name, network id, … */
  id: string;
  /** `name`, `image`, `exitCode`, `signal`, labels, … (all strings, as Docker's). */
  attributes: Record<string, string>;
}

export interface NodeEvent {
  seq: number;
  type: EventType;
  /** `start`, `die`, `health_status: healthy`, `exec_create: sh -c true`, … */
  action: string;
  actor: EventActor;
  /** `local`, or `swarm` for a cluster object's event (a manager reports its cluster's). */
  scope: 'local' | 'swarm';
  /** Nanoseconds since the Unix epoch. */
  timeNano: bigint;
}

/**
 * Where any part of berth reports an event (containers, images, volumes, networks, build).
 * `record` persists the event before anyone sees it and returns it; it never throws for a valid
 * type (a failed write is reported as unavailable, and callers that must not fail swallow it).
 */
export interface EventRecorder {
  record(type: EventType, action: string, actor: EventActor, scope?: 'local' | 'swarm'): NodeEvent;
}
