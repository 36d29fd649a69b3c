/** The public surface of metrics/: what berthd and the API server use. */
export { NodeMetrics, type MeteredEngine, type NodeMetricsOptions } from './node-metrics.js';
export { startMetricsServer, parseMetricsAddr, type MetricsServer } from './metrics-server.js';
export { policyDenialsRegistry, type DenialSource } from './policy-denials.js';
export type { ApiMetrics, Transfer } from './api-metrics.js';
export { CONTAINER_FAMILIES } from './container-families.js';
export { storeSizesRegistry, type StoreSizeSource, type StoreSizes } from './store-sizes.js';
