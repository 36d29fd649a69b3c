import { digestOf, type Digest } from '../base/digest.js';

/**
 * Chain IDs name a stack of layers (OCI image spec): the first layer's is its diff ID, each next
 * one is sha256(parentChainId + " " + diffId). A layer snapshot is shared by every image whose
 * stack has the same chain ID.
 */
export function chainIds(diffIds: readonly Digest[]): Digest[] {
  const result: Digest[] = [];
  for (const diffId of diffIds) {
    const parent = result[result.length - 1];
    result.push(parent === undefined ? diffId : digestOf(`${parent} ${diffId}`));
  }
  return result;
}
