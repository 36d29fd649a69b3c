/**
 * Turns groups that are due into notifications in the outbox: a group is due at its `flushAt`
 * (alert-book.ts sets it on a change) or, while it has firing alerts, `repeat_interval` after its
 * last notification. A notification that would say exactly what the last one said is not sent
 * (deduplication) unless the repeat is due. Resolved alerts leave the state once a notification
 * carries them; a group with no alerts left is forgotten. The outbox holds at most one
 * notification per group, however long a receiver is down.
 */
import type { AlertRules } from './alert-rules-file.js';
import type { AlertState } from './alert-state.js';
import { webhookMessage, type WebhookMessage } from './webhook-message.js';

/** Queues the notifications due at `nowMs`; answers how many were queued. */
export function planNotifications(state: AlertState, rules: AlertRules, nowMs: number): number {
  let queued = 0;
  for (const group of [...state.groups]) {
    const alerts = state.alerts.filter((alert) => alert.group === group.key && alert.status !== 'pending');
    const firing = alerts.some((alert) => alert.status === 'firing');
    const repeatDue = firing && group.lastSentAt !== undefined && nowMs >= group.lastSentAt + rules.repeatIntervalMs;
    const flushDue = group.flushAt !== undefined && nowMs >= group.flushAt;
    if (!flushDue && !repeatDue) continue;
    group.flushAt = undefined;
    const signature = alerts.map((alert) => `${alert.fingerprint}:${alert.status}`).sort().join(',');
    const receiver = rules.receivers.get(group.receiver);
    if (alerts.length > 0 && receiver !== undefined && (signature !== group.sent || repeatDue)) {
      // A group has at most one notification queued: a newer one replaces it (keeping its place and
      // backoff), carrying the resolved alerts only the older one had.
      const index = state.outbox.findIndex((item) => item.groupKey === group.key);
      const older = state.outbox[index];
      const current = new Set(alerts.map((alert) => alert.fingerprint));
      const carried = ((older?.body as Partial<WebhookMessage> | undefined)?.alerts ?? []).filter((alert) => alert.status === 'resolved' && !current.has(alert.fingerprint));
      const body = webhookMessage(alerts, { receiver: receiver.name, groupKey: group.key, groupLabels: group.labels, maxAlerts: receiver.maxAlerts, carried });
      const item = {
        id: state.nextId++, receiver: receiver.name, url: receiver.url, timeoutMs: receiver.timeoutMs, groupKey: group.key, status: body.status,
        body, createdAt: nowMs, attempts: older?.attempts ?? 0, nextAttemptAt: older?.nextAttemptAt ?? nowMs,
        ...(older?.lastError === undefined ? {} : { lastError: older.lastError }),
      };
      if (older === undefined) state.outbox.push(item);
      else state.outbox[index] = item;
      group.sent = signature;
      group.lastSentAt = nowMs;
      queued++;
    } else if (repeatDue) {
      group.lastSentAt = nowMs; // its receiver is gone from the rules: nothing to repeat to
    }
    // Told (or nobody left to tell): resolved alerts are done.
    state.alerts = state.alerts.filter((alert) => alert.group !== group.key || alert.status !== 'resolved');
    if (!state.alerts.some((alert) => alert.group === group.key)) state.groups = state.groups.filter((g) => g.key !== group.key);
  }
  return queued;
}

/** The earliest time a group becomes due (flush or repeat), undefined when none will. */
export function nextGroupDue(state: AlertState, rules: AlertRules): number | undefined {
  let next: number | undefined;
  for (const group of state.groups) {
    const firing = state.alerts.some((alert) => alert.group === group.key && alert.status === 'firing');
    for (const due of [group.flushAt, firing && group.lastSentAt !== undefined ? group.lastSentAt + rules.repeatIntervalMs : undefined]) {
      if (due !== undefined && (next === undefined || due < next)) next = due;
    }
  }
  return next;
}
