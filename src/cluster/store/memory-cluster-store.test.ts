import { afterEach, beforeEach } from 'node:test';
import { clusterStoreContract, type ContractSubject } from '../../../test/support/cluster-store-contract.js';
import { MemoryClusterStore } from './memory-cluster-store.js';

let store = new MemoryClusterStore();
let fences = 0;
beforeEach(() => { store = new MemoryClusterStore(); });
afterEach(async () => { await store.close(); });

clusterStoreContract('memory', (): ContractSubject => ({
  store,
  makeFence: () => { fences += 1; return Promise.resolve(store.grantFence(`fence-${fences}`)); },
  dropFence: (fence) => { store.revokeFence(fence.key); return Promise.resolve(); },
}));
