/**
 * berthd's runtime detection (`--detect`: berth's default rules, deploy/detection-rules.yaml;
 * `--detection-rules FILE`: the user's): the rules read at start (an invalid file stops berthd
 * before it serves, naming the file, line, rule and field) and read again on SIGHUP (an invalid
 * new file is logged and the rules in force stay).
 */
import { messageOf } from '../base/errors.js';
import type { ContainerEngine } from '../engine/container-engine.js';
import { DEFAULT_DETECTION_RULES, detectionRulesSummary, loadDetectionRules, type DetectionRules } from '../security/detection/detection-rules.js';
import { RuntimeDetector } from '../security/detection/runtime-detector.js';

/** The rules berthd's flags ask for, read before berthd opens anything (undefined: detection off). */
export async function readDetectionFlags(flags: { detect?: boolean; detectionRules?: string }): Promise<DetectionRules | undefined> {
  if (flags.detectionRules !== undefined) return loadDetectionRules(flags.detectionRules);
  return flags.detect === true ? loadDetectionRules(DEFAULT_DETECTION_RULES) : undefined;
}

export interface DaemonDetection {
  detector: RuntimeDetector;
  close(): Promise<void>;
}

/** Starts detection with the rules of `readDetectionFlags`, reloaded on SIGHUP until `close`. */
export async function startDaemonDetection(rules: DetectionRules, deps: { engine: ContainerEngine; cgroupParent: string; log: (line: string) => void }): Promise<DaemonDetection> {
  const detector = await RuntimeDetector.start({ engine: deps.engine, rules, cgroupParent: deps.cgroupParent });
  deps.log(`runtime detection: ${rules.source}: ${detectionRulesSummary(rules)}`);
  const reload = (): void => {
    loadDetectionRules(rules.source).then(async (next) => {
      await detector.replace(next);
      deps.log(`runtime detection: ${next.source} reloaded: ${detectionRulesSummary(next)}`);
    }).catch((err: unknown) => {
      deps.log(`runtime detection: ${rules.source} not reloaded, the rules in force stay: ${messageOf(err)}`);
    });
  };
  process.on('SIGHUP', reload);
  return { detector, close: async () => { process.off('SIGHUP', reload); await detector.close(); } };
}
