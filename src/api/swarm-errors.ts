/**
 * The cluster's errors as dockerd words them: `ClusterControl` throws BerthErrors with reasons of
 * its own (cluster-control.ts); the Swarm routes pass every call through `swarmCall`, which gives
 * the ones the docker CLI shows or reads their dockerd message and status. Others pass unchanged.
 */
import { BerthError, errors, isBerthError } from '../base/errors.js';
import type { ClusterControl } from '../cluster/control/cluster-control.js';
import { NOT_A_MANAGER_MESSAGE } from './routes/swarm-inactive.js';

export const NOT_IN_SWARM_MESSAGE = 'This node is not part of a swarm';
export const ALREADY_IN_SWARM_MESSAGE = 'This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.';
/** dockerd's answer (500) to an update whose `version` is not the object's: swarmkit's error through gRPC. */
export const OUT_OF_SEQUENCE_MESSAGE = 'rpc error: code = Unknown desc = update out of sequence';

/** The error dockerd would answer for `err` (the same error when it has no translation). */
export function dockerSwarmError(err: unknown): unknown {
  if (!isBerthError(err)) return err;
  const as = (kind: BerthError['kind'], message: string): BerthError => new BerthError(kind, err.reason, message, { cause: err, details: err.details });
  switch (err.reason) {
    case 'not-a-manager': return as('unavailable', NOT_A_MANAGER_MESSAGE);
    case 'not-in-cluster': return as('unavailable', NOT_IN_SWARM_MESSAGE);
    case 'already-in-cluster': return as('unavailable', ALREADY_IN_SWARM_MESSAGE);
    case 'stale-version': return as('internal', OUT_OF_SEQUENCE_MESSAGE);
    // dockerd answers 400 with swarmkit's gRPC error for a rollback with nothing to roll back to.
    case 'no-previous-spec': return as('invalid-argument', `rpc error: code = FailedPrecondition desc = ${err.message}`);
    default: return err;
  }
}

/** Runs a cluster call, translating its error (`dockerSwarmError`) whether it throws or rejects. */
export async function swarmCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw dockerSwarmError(err);
  }
}

/**
 * dockerd answers a node that is no manager with 503 before it reads a body: routes that parse
 * one call this first (after their `version` check, which dockerd makes before).
 */
export function requireManager(cluster: ClusterControl): void {
  if (!cluster.local().controlAvailable) throw errors.unavailable('not-a-manager', NOT_A_MANAGER_MESSAGE);
}
