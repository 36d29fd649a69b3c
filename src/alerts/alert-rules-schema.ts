/**
 * The schema of the alert rules file (`berthd --alert-rules FILE`): receivers (webhooks), the
 * timing of evaluation and notification, and the rules. A rule watches either a per-container
 * metric (`metric`, optionally divided by `ratio_to`, compared by `op` with `threshold`, true for
 * `for`) or the event log (`event`: oom, unhealthy, restart_loop, node_down, detection). alert-rules-file.ts turns the
 * issues into messages naming the rule, field and line.
 */
import { z } from 'zod';
import { goDurationMs } from '../base/go-duration.js';

export const EVENT_CONDITIONS = ['oom', 'unhealthy', 'restart_loop', 'node_down', 'detection'] as const;
export type EventCondition = (typeof EVENT_CONDITIONS)[number];
export const COMPARISONS = ['>', '>=', '<', '<=', '==', '!='] as const;
export type Comparison = (typeof COMPARISONS)[number];

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const duration = z.string().transform((text, context) => {
  const ms = goDurationMs(text);
  if (ms === undefined) {
    context.addIssue({ code: 'custom', message: `"${text}" is not a duration (want e.g. 30s, 2m, 1h)` });
    return z.NEVER;
  }
  return ms;
});

const labelSet = z.record(z.string().regex(LABEL_NAME, 'want a label name ([a-zA-Z_][a-zA-Z0-9_]*)'), z.string());

const receiverSchema = z.strictObject({
  name: z.string().min(1),
  url: z.url({ protocol: /^https?$/, error: 'want an http:// or https:// URL' }),
  /** How long one delivery may take before it counts as failed (default 10s). */
  timeout: duration.optional(),
  /** At most this many alerts in one notification (0: all), as Alertmanager's max_alerts. */
  max_alerts: z.int().min(0).optional(),
});

const ruleSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.:-]+$/, 'want letters, digits and _ . : -'),
  severity: z.string().min(1).default('warning'),
  labels: labelSet.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  group_by: z.array(z.string().regex(LABEL_NAME, 'want a label name')).optional(),
  receiver: z.string().min(1).optional(),
  metric: z.string().regex(/^container_[a-z_]+$/, 'want a per-container metric name such as container_memory_working_set_bytes').optional(),
  ratio_to: z.string().regex(/^container_[a-z_]+$/, 'want a per-container metric name such as container_spec_memory_limit_bytes').optional(),
  rate: z.boolean().optional(),
  op: z.enum(COMPARISONS).optional(),
  threshold: z.number().optional(),
  for: duration.optional(),
  event: z.enum(EVENT_CONDITIONS).optional(),
  restarts: z.int().min(1).optional(),
  within: duration.optional(),
  resolve_after: duration.optional(),
}).superRefine((rule, context) => {
  const need = (field: string, message: string): void => { context.addIssue({ code: 'custom', path: [field], message }); };
  if ((rule.metric === undefined) === (rule.event === undefined)) need('metric', 'a rule has either metric or event');
  if (rule.metric !== undefined) {
    if (rule.op === undefined) need('op', `want one of ${COMPARISONS.join(' ')}`);
    if (rule.threshold === undefined) need('threshold', 'want a number');
    for (const field of ['restarts', 'within', 'resolve_after'] as const) if (rule[field] !== undefined) need(field, 'only for event rules');
  }
  if (rule.event !== undefined) {
    for (const field of ['ratio_to', 'rate', 'op', 'threshold', 'for'] as const) if (rule[field] !== undefined) need(field, 'only for metric rules');
    const loop = rule.event === 'restart_loop';
    if (loop && rule.restarts === undefined) need('restarts', 'restart_loop wants restarts (how many in `within`)');
    if (loop && rule.within === undefined) need('within', 'restart_loop wants within (a duration)');
    if (!loop && (rule.restarts !== undefined || rule.within !== undefined)) need(rule.restarts !== undefined ? 'restarts' : 'within', 'only for restart_loop');
  }
});

export const alertRulesFileSchema = z.strictObject({
  version: z.literal(1).optional(),
  /** How often rules are evaluated (default 15s). */
  interval: duration.optional(),
  /** How long a new group waits for more alerts before its first notification (default 10s). */
  group_wait: duration.optional(),
  /** How long a notified group waits before a notification of its changes (default 1m). */
  group_interval: duration.optional(),
  /** How long before a notification that changed nothing is sent again (default 4h). */
  repeat_interval: duration.optional(),
  receivers: z.array(receiverSchema).min(1),
  rules: z.array(ruleSchema),
});

export type AlertRulesFile = z.output<typeof alertRulesFileSchema>;
export type RuleSpec = z.output<typeof ruleSchema>;
export type ReceiverSpec = z.output<typeof receiverSchema>;
