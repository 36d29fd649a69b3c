/**
 * A service's rolling-update settings and state as Docker shows them: UpdateConfig and
 * RollbackConfig (Go's omitempty on Delay and Monitor), and Service.UpdateStatus. Pure.
 */
import type { UpdateConfig, UpdateStatus } from '../cluster/objects/index.js';
import type { SwarmUpdateConfig, SwarmUpdateStatus } from '../wire/swarm-rolling.js';

/** An update (or rollback) config as Docker's UpdateConfig. */
export function updateConfigView(config: UpdateConfig): SwarmUpdateConfig {
  return {
    Parallelism: config.parallelism,
    ...(config.delayNs === 0 ? {} : { Delay: config.delayNs }),
    FailureAction: config.failureAction,
    ...(config.monitorNs === 0 ? {} : { Monitor: config.monitorNs }),
    MaxFailureRatio: config.maxFailureRatio,
    Order: config.order,
  };
}

/** An update status as Docker's UpdateStatus (times and message only when known). */
export function updateStatusView(status: UpdateStatus): SwarmUpdateStatus {
  return {
    State: status.state,
    ...(status.startedAt === undefined ? {} : { StartedAt: status.startedAt }),
    ...(status.completedAt === undefined ? {} : { CompletedAt: status.completedAt }),
    ...(status.message === '' ? {} : { Message: status.message }),
    ...(status.canary === undefined ? {} : { Canary: status.canary }),
  };
}
