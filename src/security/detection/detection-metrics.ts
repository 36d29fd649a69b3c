import { Counter, Gauge, Registry } from 'prom-client';

/** Runtime detection's Prometheus metrics, on a registry of their own that berthd serves at /metrics. */
export class DetectionMetrics {
  readonly registry = new Registry();
  private readonly detections = new Counter({ name: 'berth_detections_total', help: 'Runtime detection rules that matched, by rule and the action taken', labelNames: ['rule', 'action'], registers: [this.registry] });
  private readonly watched = new Gauge({ name: 'berth_detection_watched_containers', help: 'Containers whose processes and files runtime detection watches', registers: [this.registry] });
  private readonly suppressedTotal = new Counter({ name: 'berth_detections_suppressed_total', help: 'Matches not recorded as events because their container and rule were over the event rate', labelNames: ['rule'], registers: [this.registry] });
  private readonly failures = new Counter({ name: 'berth_detection_action_failures_total', help: 'Actions (pause, kill) of matched rules that failed', labelNames: ['action'], registers: [this.registry] });

  detected(rule: string, action: string): void {
    this.detections.inc({ rule, action });
  }

  suppressed(rule: string): void {
    this.suppressedTotal.inc({ rule });
  }

  watching(count: number): void {
    this.watched.set(count);
  }

  actionFailed(action: string): void {
    this.failures.inc({ action });
  }
}
