// The leader's controllers: the public surface of src/cluster/controllers/.
export { runControlPlane, MAX_QUICK_RETRIES, type ControlPlaneOptions } from './control-plane.js';
export { runAutoscaler, AUTOSCALE_PERIOD_MS, type AutoscalerOptions } from './autoscaler.js';
export { HEARTBEAT_LEASE_EXPIRED, HEARTBEAT_RECEIVED } from './node-liveness.js';
export { SCHEDULED } from './task-scheduling.js';
export { HISTORY_PER_SLOT } from './task-cleanup.js';
