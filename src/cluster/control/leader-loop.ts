/**
 * Every manager campaigns for leadership of the control plane; the one that wins runs the
 * controllers until its leadership ends, then campaigns again. The others wait as hot standbys.
 */
import type { Timers } from '../../base/clock.js';
import { messageOf } from '../../base/errors.js';
import type { EtcdLeaderElection, Leadership } from '../store/etcd-leader-election.js';

export const CONTROL_PLANE_ELECTION = 'control-plane';

export interface LeaderLoopOptions {
  readonly election: EtcdLeaderElection;
  readonly nodeId: string;
  /** The leader's work; resolves when `leadership.signal` aborts. */
  readonly lead: (leadership: Leadership) => Promise<void>;
  readonly signal: AbortSignal;
  readonly timers: Timers;
  readonly log: (message: string) => void;
  /** This node gained (true) or lost (false) the leadership (the cluster's metrics). */
  readonly onLeadership?: (leading: boolean) => void;
}

export async function runLeaderLoop(options: LeaderLoopOptions): Promise<void> {
  const stopped = (): boolean => options.signal.aborted;
  while (!stopped()) {
    const campaign = options.election.campaign(CONTROL_PLANE_ELECTION, options.nodeId);
    // On abort the campaign must end at once (resign ends it before it revokes the lease); a
    // failed revoke here is left to the `finally` below, which revokes again and logs its failure.
    const resign = (): void => { void campaign.resign().catch(() => undefined); };
    options.signal.addEventListener('abort', resign, { once: true });
    try {
      const leadership = await campaign.elected();
      options.log(`cluster: this node leads the control plane (fence ${leadership.fence.createRevision})`);
      options.onLeadership?.(true);
      try {
        await options.lead(leadership);
      } finally {
        options.onLeadership?.(false);
      }
      options.log('cluster: leadership ended');
    } catch (err) {
      if (!stopped()) {
        options.log(`cluster: campaign failed: ${messageOf(err)}; trying again`);
        await new Promise<void>((resolve) => { options.timers.after(1_000, resolve); });
      }
    } finally {
      options.signal.removeEventListener('abort', resign);
      await campaign.resign().catch((err: unknown) => {
        options.log(`cluster: resigning from the control plane's election failed (its lease runs out within its TTL): ${messageOf(err)}`);
      });
    }
  }
}
