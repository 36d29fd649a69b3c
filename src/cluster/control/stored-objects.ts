/** The cluster's objects of each kind, read from the store (objects/stored-object.ts is the format). */
import { clusterNetworkSchema, type ClusterNetwork } from '../objects/network.js';
import { networkPolicySchema, type NetworkPolicy } from '../objects/network-policy.js';
import { nodeSchema, type Node } from '../objects/node.js';
import { serviceSchema, type Service } from '../objects/service.js';
import { readStoredObject } from '../objects/stored-object.js';
import { taskSchema, type Task } from '../objects/task.js';
import type { ClusterObjectKind, ClusterStore } from '../store/cluster-store.js';
import type { z } from 'zod';

export { encodeObject as storedValue } from '../objects/stored-object.js';

async function listKind<T>(store: ClusterStore, kind: ClusterObjectKind, schema: z.ZodType<T>): Promise<T[]> {
  return (await store.list(kind)).items.map((item) => readStoredObject(schema, item));
}

async function getKind<T>(store: ClusterStore, kind: ClusterObjectKind, id: string, schema: z.ZodType<T>): Promise<T | undefined> {
  const stored = await store.get(kind, id);
  return stored === undefined ? undefined : readStoredObject(schema, stored);
}

export const readNodes = (store: ClusterStore): Promise<Node[]> => listKind(store, 'node', nodeSchema);
export const readServices = (store: ClusterStore): Promise<Service[]> => listKind(store, 'service', serviceSchema);
export const readNetworks = (store: ClusterStore): Promise<ClusterNetwork[]> => listKind(store, 'network', clusterNetworkSchema);
export const readNetworkPolicies = (store: ClusterStore): Promise<NetworkPolicy[]> => listKind(store, 'network-policy', networkPolicySchema);
export const readTasks = (store: ClusterStore): Promise<Task[]> => listKind(store, 'task', taskSchema);
export const readNode = (store: ClusterStore, id: string): Promise<Node | undefined> => getKind(store, 'node', id, nodeSchema);
export const readService = (store: ClusterStore, id: string): Promise<Service | undefined> => getKind(store, 'service', id, serviceSchema);
export const readTask = (store: ClusterStore, id: string): Promise<Task | undefined> => getKind(store, 'task', id, taskSchema);
