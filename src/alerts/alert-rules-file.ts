/**
 * The alert rules file (`berthd --alert-rules FILE`): YAML checked against alert-rules-schema.ts.
 * Every error is invalid-argument (reason `invalid-alert-rules`) naming the file and line, the rule
 * (its name, else `rules[i]`) and the field:
 *
 *   alerts.yaml:9: rule "memory-high" (rules[0]): field op: want one of > >= < <= == !=
 */
import { readFile } from 'node:fs/promises';
import { errors, messageOf } from '../base/errors.js';
import { checkYaml } from '../base/yaml-file.js';
import { alertRulesFileSchema, type ReceiverSpec, type RuleSpec } from './alert-rules-schema.js';

/** A rule ready for evaluation: its receiver resolved and its grouping filled in. */
export type AlertRule = RuleSpec & { receiver: string; group_by: string[] };

export interface Receiver {
  name: string;
  url: string;
  timeoutMs: number;
  maxAlerts: number;
}

export interface AlertRules {
  /** Where the rules were read from (for logs). */
  source: string;
  intervalMs: number;
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  receivers: ReadonlyMap<string, Receiver>;
  rules: readonly AlertRule[];
}

export const ALERT_DEFAULTS = { intervalMs: 15_000, groupWaitMs: 10_000, groupIntervalMs: 60_000, repeatIntervalMs: 4 * 3_600_000, timeoutMs: 10_000 } as const;

function receiverOf(spec: ReceiverSpec): Receiver {
  return { name: spec.name, url: spec.url, timeoutMs: spec.timeout ?? ALERT_DEFAULTS.timeoutMs, maxAlerts: spec.max_alerts ?? 0 };
}

export interface AlertRulesOptions {
  /** The metric names rules may use (berthd: its per-container families); without it, any `container_*` name. */
  metrics?: readonly string[];
}

/** Parses and checks the rules' text; `source` names it in errors. */
export function parseAlertRules(text: string, source: string, options: AlertRulesOptions = {}): AlertRules {
  const checked = checkYaml(text, source, alertRulesFileSchema, 'invalid-alert-rules', { rules: 'rule', receivers: 'receiver' });
  const file = checked.data;
  const receivers = new Map<string, Receiver>();
  file.receivers.forEach((spec, index) => {
    if (receivers.has(spec.name)) checked.fail(['receivers', index, 'name'], `"${spec.name}" is also an earlier receiver's name`);
    receivers.set(spec.name, receiverOf(spec));
  });
  const fallback = file.receivers[0]?.name ?? '';
  const seen = new Set<string>();
  const rules = file.rules.map((rule, index): AlertRule => {
    const where = (field: string): (string | number)[] => ['rules', index, field];
    if (seen.has(rule.name)) checked.fail(where('name'), `"${rule.name}" is also an earlier rule's name`);
    seen.add(rule.name);
    for (const field of ['metric', 'ratio_to'] as const) {
      const name = rule[field];
      if (name !== undefined && options.metrics !== undefined && !options.metrics.includes(name)) checked.fail(where(field), `"${name}" is not a per-container metric of berthd (see docs/monitoring.md)`);
    }
    if (rule.receiver !== undefined && !receivers.has(rule.receiver)) checked.fail(where('receiver'), `no receiver is named "${rule.receiver}" (want one of ${[...receivers.keys()].join(', ')})`);
    return { ...rule, receiver: rule.receiver ?? fallback, group_by: rule.group_by ?? ['alertname'] };
  });
  return {
    source,
    intervalMs: file.interval ?? ALERT_DEFAULTS.intervalMs,
    groupWaitMs: file.group_wait ?? ALERT_DEFAULTS.groupWaitMs,
    groupIntervalMs: file.group_interval ?? ALERT_DEFAULTS.groupIntervalMs,
    repeatIntervalMs: file.repeat_interval ?? ALERT_DEFAULTS.repeatIntervalMs,
    receivers,
    rules,
  };
}

/** Reads and parses the rules file; invalid-argument (`invalid-alert-rules`) when it cannot be read or is invalid. */
export async function loadAlertRules(path: string, options: AlertRulesOptions = {}): Promise<AlertRules> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw errors.invalidArgument('invalid-alert-rules', `alert rules ${path}: ${messageOf(cause)}`, { cause });
  }
  return parseAlertRules(text, path, options);
}

/** `3 rules (2 metric, 1 event), 1 receiver`. */
export function alertRulesSummary(rules: AlertRules): string {
  const metric = rules.rules.filter((rule) => rule.metric !== undefined).length;
  return `${rules.rules.length} rules (${metric} metric, ${rules.rules.length - metric} event), ${rules.receivers.size} receivers`;
}
