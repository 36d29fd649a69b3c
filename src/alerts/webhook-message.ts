/**
 * The body berth posts to a receiver: Alertmanager's webhook format (version "4"), so Alertmanager's
 * receivers (and anything that accepts them) read it: receiver, status, alerts[] (status, labels,
 * annotations, startsAt, endsAt, generatorURL, fingerprint), groupLabels, commonLabels,
 * commonAnnotations, externalURL, groupKey, truncatedAlerts. A firing alert's endsAt is Go's zero
 * time, as Alertmanager sends it.
 */
import type { AlertEntry } from './alert-state.js';

type Labels = Record<string, string>;

export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Labels;
  annotations: Labels;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export interface WebhookMessage {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Labels;
  commonLabels: Labels;
  commonAnnotations: Labels;
  externalURL: string;
  alerts: WebhookAlert[];
}

export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** The pairs every one of `sets` has. */
function common(sets: readonly Labels[]): Labels {
  const [first, ...rest] = sets;
  if (first === undefined) return {};
  return Object.fromEntries(Object.entries(first).filter(([k, v]) => rest.every((set) => set[k] === v)));
}

export interface MessageOptions {
  receiver: string;
  groupKey: string;
  groupLabels: Labels;
  /** At most this many alerts (0: all); the rest are counted in truncatedAlerts. */
  maxAlerts: number;
  /** Resolved alerts of an undelivered notification this one replaces, which the state no longer has. */
  carried?: readonly WebhookAlert[];
}

function webhookAlert(alert: AlertEntry): WebhookAlert {
  return {
    status: alert.status === 'firing' ? 'firing' : 'resolved',
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: new Date(alert.startsAt).toISOString(),
    endsAt: alert.endsAt === undefined ? ZERO_TIME : new Date(alert.endsAt).toISOString(),
    generatorURL: '',
    fingerprint: alert.fingerprint,
  };
}

/** The notification of a group's alerts (firing and newly resolved). */
export function webhookMessage(entries: readonly AlertEntry[], options: MessageOptions): WebhookMessage {
  const alerts = [...entries.map(webhookAlert), ...(options.carried ?? [])];
  const firing = alerts.some((alert) => alert.status === 'firing');
  const kept = options.maxAlerts > 0 ? alerts.slice(0, options.maxAlerts) : alerts;
  return {
    version: '4',
    groupKey: options.groupKey,
    truncatedAlerts: alerts.length - kept.length,
    status: firing ? 'firing' : 'resolved',
    receiver: options.receiver,
    groupLabels: options.groupLabels,
    commonLabels: common(alerts.map((alert) => alert.labels)),
    commonAnnotations: common(alerts.map((alert) => alert.annotations)),
    externalURL: '',
    alerts: kept,
  };
}
