/**
 * What `GET /berth/v1/alerts` answers: each pending or firing alert, and each resolved one whose
 * resolution is not delivered yet, with the state of its notification's delivery.
 */
import type { AlertView, AlertDeliveryView } from '../wire/alerts.js';
import type { AlertEntry, AlertState, OutboxItem } from './alert-state.js';
import type { WebhookMessage } from './webhook-message.js';

/** The alerts berthd knows of (the API's view of the runner). */
export interface AlertListing {
  list(): AlertView[];
}

function carries(body: unknown, alert: AlertEntry): boolean {
  const message = body as Partial<WebhookMessage> | undefined;
  return message?.alerts?.some((a) => a.fingerprint === alert.fingerprint && a.status === alert.status) ?? false;
}

function itemDelivery(item: OutboxItem): AlertDeliveryView {
  return {
    Receiver: item.receiver, State: item.attempts === 0 ? 'sending' : 'retrying', Attempts: item.attempts,
    ...(item.lastError === undefined ? {} : { LastError: item.lastError }),
    ...(item.attempts === 0 ? {} : { NextAttemptAt: new Date(item.nextAttemptAt).toISOString() }),
  };
}

function deliveryOf(state: AlertState, alert: AlertEntry): AlertDeliveryView {
  const group = state.groups.find((g) => g.key === alert.group);
  const receiver = group?.receiver ?? '';
  if (alert.status === 'pending') return { Receiver: receiver, State: 'pending', Attempts: 0 };
  const queued = state.outbox.filter((item) => item.groupKey === alert.group && carries(item.body, alert)).at(-1);
  if (queued !== undefined) return itemDelivery(queued);
  const sent = group?.sent?.split(',').includes(`${alert.fingerprint}:${alert.status}`) ?? false;
  return { Receiver: receiver, State: sent ? 'delivered' : 'waiting', Attempts: 0 };
}

/** Resolved alerts whose resolution is still in the outbox (the state keeps only the notification). */
function resolvedInOutbox(state: AlertState): AlertView[] {
  const known = new Set(state.alerts.map((alert) => alert.fingerprint));
  const views = new Map<string, AlertView>();
  for (const item of state.outbox) {
    for (const alert of (item.body as Partial<WebhookMessage>).alerts ?? []) {
      if (alert.status !== 'resolved' || known.has(alert.fingerprint)) continue;
      views.set(alert.fingerprint, {
        Rule: alert.labels.alertname ?? '', Fingerprint: alert.fingerprint, Labels: alert.labels, Annotations: alert.annotations,
        Severity: alert.labels.severity ?? '', Status: 'resolved', Since: alert.startsAt, Delivery: itemDelivery(item),
      });
    }
  }
  return [...views.values()];
}

export function alertViews(state: AlertState): AlertView[] {
  const views = state.alerts.map((alert): AlertView => ({
    Rule: alert.rule, Fingerprint: alert.fingerprint, Labels: alert.labels, Annotations: alert.annotations,
    Severity: alert.labels.severity ?? '', Status: alert.status,
    Since: new Date(alert.status === 'pending' ? alert.activeAt : alert.startsAt).toISOString(),
    ...(alert.value === undefined ? {} : { Value: alert.value }),
    Delivery: deliveryOf(state, alert),
  }));
  return [...views, ...resolvedInOutbox(state)];
}
