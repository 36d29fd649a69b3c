// The node's part in a cluster: the public surface of src/cluster/control/.
export type { ClusterControl, ClusterInfo, ClusterNode as ClusterNodeView, InitRequest, JoinRequest, LocalClusterInfo, LocalClusterState, NodeUpdate, TaskFilter } from './cluster-control.js';
export { ClusterNode, type ClusterNodeOptions } from './cluster-node.js';
export type { ClusterEvent } from './cluster-events.js';
export { DEFAULT_HEARTBEAT, type HeartbeatSettings } from './manager-backend.js';
