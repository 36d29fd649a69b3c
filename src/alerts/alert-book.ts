/**
 * The alerts and their groups, over the persisted state: what conditions report (a metric rule's
 * readings, an event's verdict) becomes an alert's status, and each change of what a group would
 * notify schedules the group's next notification: a new group after `group_wait`, a notified one
 * no sooner than `group_interval` after its last notification. An alert's identity is its rule and
 * labels (its fingerprint): an alert that keeps firing stays one alert.
 */
import type { AlertRule, AlertRules } from './alert-rules-file.js';
import type { AlertEntry, AlertState } from './alert-state.js';
import { fingerprintOf } from './fingerprint.js';
import type { ContainerIdentity } from './metric-conditions.js';

type Labels = Record<string, string>;

/** `{{ $labels.name }}` and `{{ $value }}` in annotations, as in Prometheus's templates. */
function expand(template: string, labels: Labels, value: number | undefined): string {
  return template.replace(/\{\{\s*\$(labels\.([a-zA-Z_][a-zA-Z0-9_]*)|value)\s*\}\}/g, (_all, _what: string, label: string | undefined) =>
    (label === undefined ? (value === undefined ? '' : String(Math.round(value * 1000) / 1000)) : labels[label] ?? ''));
}

/** Labels as Alertmanager prints a label set in a group key: `{alertname="oom", name="web"}`. */
function labelText(labels: Labels): string {
  return `{${Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(', ')}}`;
}

export class AlertBook {
  constructor(private readonly state: AlertState, private rules: AlertRules) {}

  /** The rules read again: later changes use them (alerts of rules now gone resolve: call `dropRulesGone`). */
  replaceRules(rules: AlertRules): void {
    this.rules = rules;
  }

  /** An alert's labels: the rule's, and its container's (`container_id`, `name`, `image`) or, for node_down, its node's (`node_id`, `node`). */
  labelsOf(rule: AlertRule, container: ContainerIdentity): Labels {
    const subject = rule.event === 'node_down' ? { node_id: container.id, node: container.name } : { container_id: container.id, name: container.name, image: container.image };
    return { alertname: rule.name, severity: rule.severity, ...rule.labels, ...subject };
  }

  /** A metric rule's readings now: its other alerts stop (pending ones vanish, firing ones resolve). */
  holdMetric(rule: AlertRule, readings: readonly { container: ContainerIdentity; value: number }[], nowMs: number): void {
    const holding = new Set<string>();
    for (const { container, value } of readings) {
      const labels = this.labelsOf(rule, container);
      const fingerprint = fingerprintOf(labels);
      holding.add(fingerprint);
      const alert = this.#find(fingerprint);
      if (alert === undefined || alert.status === 'resolved') {
        this.#remove(fingerprint);
        const firing = (rule.for ?? 0) === 0;
        this.#add(rule, labels, firing ? 'firing' : 'pending', nowMs, value);
      } else {
        alert.value = value;
        alert.annotations = this.#annotations(rule, labels, value);
        if (alert.status === 'pending' && nowMs - alert.activeAt >= (rule.for ?? 0)) {
          alert.status = 'firing';
          alert.startsAt = nowMs;
          this.#changed(alert, nowMs);
        }
      }
    }
    for (const alert of this.state.alerts.filter((a) => a.rule === rule.name && a.status !== 'resolved' && !holding.has(a.fingerprint))) {
      if (alert.status === 'pending') this.#remove(alert.fingerprint);
      else this.#resolve(alert, nowMs);
    }
  }

  /** An event fired `rule` for `container` (an alert already firing only notes the time). */
  fire(rule: AlertRule, container: ContainerIdentity, atMs: number): void {
    const labels = this.labelsOf(rule, container);
    const fingerprint = fingerprintOf(labels);
    const alert = this.#find(fingerprint);
    if (alert?.status === 'firing') {
      alert.lastEventAt = atMs;
      return;
    }
    this.#remove(fingerprint);
    this.#add(rule, labels, 'firing', atMs, undefined).lastEventAt = atMs;
  }

  /** `rule`'s firing alert of the container, if any, resolves. */
  resolveContainer(ruleName: string, containerId: string, atMs: number): void {
    for (const alert of this.state.alerts) {
      if (alert.rule === ruleName && (alert.labels.container_id ?? alert.labels.node_id) === containerId && alert.status !== 'resolved') {
        if (alert.status === 'pending') this.#remove(alert.fingerprint);
        else this.#resolve(alert, atMs);
      }
    }
  }

  /** Event alerts past their rule's `resolve_after`, and alerts of rules no longer in the file, resolve. */
  expire(nowMs: number): void {
    const rules = new Map(this.rules.rules.map((rule) => [rule.name, rule]));
    for (const alert of [...this.state.alerts]) {
      if (alert.status === 'resolved') continue;
      const rule = rules.get(alert.rule);
      const after = rule?.resolve_after;
      if (rule === undefined) {
        if (alert.status === 'pending') this.#remove(alert.fingerprint);
        else this.#resolve(alert, nowMs);
      } else if (after !== undefined && alert.lastEventAt !== undefined && nowMs - alert.lastEventAt >= after) {
        this.#resolve(alert, nowMs);
      }
    }
  }

  #annotations(rule: AlertRule, labels: Labels, value: number | undefined): Labels {
    return Object.fromEntries(Object.entries(rule.annotations ?? {}).map(([k, v]) => [k, expand(v, labels, value)]));
  }

  #add(rule: AlertRule, labels: Labels, status: 'pending' | 'firing', nowMs: number, value: number | undefined): AlertEntry {
    const groupLabels = Object.fromEntries(rule.group_by.filter((name) => name in labels).map((name) => [name, labels[name] ?? '']));
    const alert: AlertEntry = {
      fingerprint: fingerprintOf(labels), rule: rule.name, group: `${rule.receiver}:${labelText(groupLabels)}`, labels,
      annotations: this.#annotations(rule, labels, value), status, activeAt: nowMs, startsAt: nowMs, ...(value === undefined ? {} : { value }),
    };
    this.state.alerts.push(alert);
    if (!this.state.groups.some((group) => group.key === alert.group)) this.state.groups.push({ key: alert.group, receiver: rule.receiver, labels: groupLabels });
    if (status === 'firing') this.#changed(alert, nowMs);
    return alert;
  }

  #resolve(alert: AlertEntry, nowMs: number): void {
    alert.status = 'resolved';
    alert.endsAt = nowMs;
    this.#changed(alert, nowMs);
  }

  #find(fingerprint: string): AlertEntry | undefined {
    return this.state.alerts.find((alert) => alert.fingerprint === fingerprint);
  }

  #remove(fingerprint: string): void {
    this.state.alerts = this.state.alerts.filter((alert) => alert.fingerprint !== fingerprint);
  }

  /** The alert's group has news: schedule its notification. */
  #changed(alert: AlertEntry, nowMs: number): void {
    const group = this.state.groups.find((g) => g.key === alert.group);
    if (group === undefined) return;
    const due = group.lastSentAt === undefined ? nowMs + this.rules.groupWaitMs : Math.max(nowMs, group.lastSentAt + this.rules.groupIntervalMs);
    group.flushAt = Math.min(group.flushAt ?? Number.POSITIVE_INFINITY, due);
  }
}
