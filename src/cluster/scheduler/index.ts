// The scheduler and the orchestrators' decisions: the public surface of src/cluster/scheduler/.
export { schedule, DEFAULT_SCORE_LIMIT, type SchedulingSnapshot, type SchedulerOptions, type Plan, type Assignment, type Unplaced } from './schedule.js';
export { type Rejection } from './feasibility.js';
export { type RejectionGroup, formatBytes } from './rejection-summary.js';
export { type ResourceStrategy } from './rankers.js';
export { seededRandom, systemRandom, type Random } from './random.js';
export { holdsResources, countsForService } from './node-table.js';
export { reconcileReplicated } from './reconcile-replicated.js';
export { reconcileGlobal } from './reconcile-global.js';
export { reconcileReplicatedJob, reconcileGlobalJob } from './reconcile-job.js';
export { nextScheduledRun, planScheduledRun, type ScheduledRun } from './job-schedule.js';
export { recommendReplicas, stabilizedReplicas, TOLERANCE, type TaskUsage, type Recommendation, type PastRecommendation } from './autoscale.js';
export { type Reconciliation, type ShutdownReason, type ReplaceReason } from './reconciliation.js';
export { planUpdate, isUpToDate, isPausedUpdate, activeUpdateConfig, type UpdatePlan } from './rolling-update.js';
