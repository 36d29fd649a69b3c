/**
 * berthd's `--alert-rules FILE`: the rules read before anything opens (a bad file stops berthd,
 * naming the rule, field and line), the alert runner over the node's event log and metrics with
 * its state in `<root>/alerts/`, and SIGHUP, which reads the file again (a bad one is logged; the
 * rules in force stay).
 */
import { join } from 'node:path';
import type { Clock, Timers } from '../base/clock.js';
import { messageOf } from '../base/errors.js';
import { AlertRunner, AlertStateFile, alertRulesSummary, loadAlertRules, postWebhook, type AlertRules, type ContainerMetrics } from '../alerts/index.js';
import type { EventLog } from '../events/event-log.js';
import { CONTAINER_FAMILIES, type NodeMetrics } from '../metrics/index.js';

export interface DaemonAlerting {
  runner: AlertRunner;
  /** Stops listening for SIGHUP and stops the runner (its state saved). */
  close(): Promise<void>;
}

export interface DaemonAlertingDeps {
  root: string;
  events: EventLog;
  metrics: NodeMetrics;
  clock: Clock;
  timers: Timers;
  log: (message: string) => void;
}

/** Rules may use the metrics NodeMetrics serves per container. */
const RULE_OPTIONS = { metrics: CONTAINER_FAMILIES.map((family) => family.name) };

/** The rules of `--alert-rules`, read before berthd opens anything. Throws invalid-argument (`invalid-alert-rules`). */
export async function readAlertRulesFlag(path: string | undefined): Promise<{ path: string; rules: AlertRules } | undefined> {
  return path === undefined ? undefined : { path, rules: await loadAlertRules(path, RULE_OPTIONS) };
}

/** The node's metrics as the alerts read them: the container id is the last part of cAdvisor's `id` (the cgroup path). */
function metricSource(metrics: NodeMetrics): { read(): Promise<ContainerMetrics[]> } {
  return {
    read: async () => (await metrics.containerValues()).map(({ labels, values }) => ({
      container: { id: (labels.id ?? '').slice((labels.id ?? '').lastIndexOf('/') + 1), name: labels.name ?? '', image: labels.image ?? '' },
      values,
    })),
  };
}

/** Starts alerting when `--alert-rules` was given (undefined otherwise); the rules are read again on SIGHUP until `close`. */
export async function openDaemonAlerting(flag: { path: string; rules: AlertRules } | undefined, deps: DaemonAlertingDeps): Promise<DaemonAlerting | undefined> {
  if (flag === undefined) return undefined;
  const { path, rules } = flag;
  const log = (message: string): void => { deps.log(message); };
  const runner = await AlertRunner.open({
    rules, store: new AlertStateFile(join(deps.root, 'alerts'), log), events: deps.events, metrics: metricSource(deps.metrics),
    post: postWebhook, clock: deps.clock, timers: deps.timers, log,
  });
  log(`alert rules ${path}: ${alertRulesSummary(rules)}`);
  const reload = (): void => {
    loadAlertRules(path, RULE_OPTIONS).then((next) => {
      runner.replaceRules(next);
      log(`alert rules ${path} reloaded: ${alertRulesSummary(next)}`);
    }, (err: unknown) => {
      log(`alert rules ${path} not reloaded, the previous ones stay in force: ${messageOf(err)}`);
    });
  };
  process.on('SIGHUP', reload);
  return { runner, close: async () => { process.off('SIGHUP', reload); await runner.close(); } };
}
