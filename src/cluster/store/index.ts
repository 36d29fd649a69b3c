// The cluster store's public surface.
export type {
  ClusterObjectKind, ClusterStore, CommitOptions, CommitResult, Expectation, JsonValue, LeaderFence, StoreEvent, StoredObject, StoreListing,
  StoreWrite, WatchOptions,
} from './cluster-store.js';
export { EtcdClusterStore, type EtcdClusterStoreOptions } from './etcd-cluster-store.js';
export { MemoryClusterStore } from './memory-cluster-store.js';
export { EtcdLeaderElection, type LeaderCampaign, type LeaderElectionOptions, type Leadership } from './etcd-leader-election.js';
export { EtcdMember, ETCD_PATH, type EtcdMemberOptions, type EtcdPeer } from './etcd-member.js';
export { addMember, listMembers, promoteMember, removeMember, type AddMemberOptions, type EtcdMemberInfo } from './etcd-membership.js';
export { freePort } from './free-port.js';
export { connectEtcd, type EtcdClientOptions } from './etcd-client.js';
export type { HeartbeatChange, Heartbeats } from './heartbeats.js';
export { MemoryHeartbeats } from './memory-heartbeats.js';
