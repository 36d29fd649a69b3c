/**
 * What the alerting keeps across berthd restarts (alert-state-file.ts writes it): the alerts with
 * their status, the notification groups and what each last sent, the notifications not yet
 * delivered (the outbox), the event log position read up to, and the restart-loop windows.
 * Times are milliseconds since the Unix epoch.
 */
import { z } from 'zod';

const labels = z.record(z.string(), z.string());

export const alertEntrySchema = z.object({
  fingerprint: z.string(),
  rule: z.string(),
  /** Its notification group's key (receiver and group labels). */
  group: z.string(),
  labels,
  annotations: labels,
  /** pending: the condition holds, not yet for `for`; firing; resolved: not yet notified as such. */
  status: z.enum(['pending', 'firing', 'resolved']),
  /** When the condition first held. */
  activeAt: z.number(),
  /** When it began firing (activeAt while pending). */
  startsAt: z.number(),
  endsAt: z.number().optional(),
  /** The last event that fired it (event rules; for resolve_after). */
  lastEventAt: z.number().optional(),
  value: z.number().optional(),
});
export type AlertEntry = z.infer<typeof alertEntrySchema>;

export const groupEntrySchema = z.object({
  /** Receiver and group labels: `ops:{alertname="oom"}`. */
  key: z.string(),
  receiver: z.string(),
  labels,
  /** When the group's next notification is due (undefined: nothing to send). */
  flushAt: z.number().optional(),
  lastSentAt: z.number().optional(),
  /** What the last notification said: its alerts' fingerprints and statuses. */
  sent: z.string().optional(),
});
export type GroupEntry = z.infer<typeof groupEntrySchema>;

export const outboxItemSchema = z.object({
  id: z.number(),
  receiver: z.string(),
  url: z.string(),
  timeoutMs: z.number(),
  groupKey: z.string(),
  status: z.enum(['firing', 'resolved']),
  /** The webhook body, as sent. */
  body: z.unknown(),
  createdAt: z.number(),
  attempts: z.number(),
  nextAttemptAt: z.number(),
  lastError: z.string().optional(),
});
export type OutboxItem = z.infer<typeof outboxItemSchema>;

export const alertStateSchema = z.object({
  version: z.literal(1),
  /** The event log's seq read up to (events after it are still to evaluate). */
  eventSeq: z.number(),
  alerts: z.array(alertEntrySchema),
  groups: z.array(groupEntrySchema),
  outbox: z.array(outboxItemSchema),
  /** Restart-loop windows: `<rule>/<container id>` → times of its die events. */
  windows: z.record(z.string(), z.array(z.number())),
  nextId: z.number(),
});
export type AlertState = z.infer<typeof alertStateSchema>;

/** The state of a first start: events are read from `eventSeq` on. */
export function emptyAlertState(eventSeq: number): AlertState {
  return { version: 1, eventSeq, alerts: [], groups: [], outbox: [], windows: {}, nextId: 1 };
}
