/** The public surface of alerts/: what berthd and the API server use. */
export { AlertRunner, type AlertRunnerOptions } from './alert-runner.js';
export { loadAlertRules, parseAlertRules, alertRulesSummary, type AlertRules, type AlertRulesOptions } from './alert-rules-file.js';
export { AlertStateFile } from './alert-state-file.js';
export { postWebhook } from './webhook-post.js';
export type { AlertListing } from './alert-views.js';
export type { ContainerMetrics, MetricSource } from './metric-conditions.js';
