// The cluster port: the public surface of src/cluster/transport/.
export * from './protocol.js';
export { startClusterPortServer, MAX_JOIN_BODY_BYTES, MAX_STATUS_BODY_BYTES, type ClusterPortServer, type ClusterPortServerOptions } from './cluster-port-server.js';
export { fetchClusterCa, requestJoin } from './join-client.js';
export { ManagerClient } from './manager-client.js';
export { parseManagerAddress } from './cluster-port-call.js';
