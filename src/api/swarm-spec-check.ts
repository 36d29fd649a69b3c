/**
 * berth's cluster keeps Swarm's default settings (`defaultSwarmSpec`): a SwarmSpec sent with
 * `POST /swarm/update` may only repeat them. The docker CLI sends back the spec it read, changed
 * by its flags; a field that differs is refused with 400 naming it, so a setting never seems to
 * apply when it does not. Absent fields (a client that does not know them) are unchanged.
 */
import type { z } from 'zod';
import { errors } from '../base/errors.js';
import type { swarmSpecSchema } from '../wire/swarm.js';
import { defaultSwarmSpec } from './swarm-views.js';

type SpecBody = z.infer<typeof swarmSpecSchema>;
type Scalar = string | number | bigint | boolean | null | undefined;

const unsupported = (field: string): Error =>
  errors.invalidArgument('unsupported-swarm-setting', `Spec.${field}: changing this setting is not supported yet (berth's cluster keeps Swarm's default)`, { details: { field } });

/** Throws for the first field of `spec` that differs from the swarm's settings. Pure. */
export function checkSwarmSpecUnchanged(spec: SpecBody | null | undefined): void {
  if (spec === null || spec === undefined) return;
  const current = defaultSwarmSpec();
  const same = (field: string, sent: Scalar, kept: Scalar): void => {
    if (sent !== null && sent !== undefined && String(sent) !== String(kept)) throw unsupported(field);
  };
  const empty = (field: string, sent: readonly unknown[] | Record<string, unknown> | string | null | undefined): void => {
    if (sent !== null && sent !== undefined && Object.keys(sent).length > 0) throw unsupported(field);
  };
  if (spec.Name !== '' && spec.Name !== undefined && spec.Name !== null) same('Name', spec.Name, current.Name);
  empty('Labels', spec.Labels);
  same('Orchestration.TaskHistoryRetentionLimit', spec.Orchestration?.TaskHistoryRetentionLimit, current.Orchestration.TaskHistoryRetentionLimit);
  for (const key of ['SnapshotInterval', 'KeepOldSnapshots', 'LogEntriesForSlowFollowers', 'ElectionTick', 'HeartbeatTick'] as const) {
    same(`Raft.${key}`, spec.Raft?.[key], current.Raft[key]);
  }
  same('Dispatcher.HeartbeatPeriod', spec.Dispatcher?.HeartbeatPeriod, current.Dispatcher.HeartbeatPeriod);
  same('CAConfig.NodeCertExpiry', spec.CAConfig?.NodeCertExpiry, current.CAConfig.NodeCertExpiry);
  empty('CAConfig.ExternalCAs', spec.CAConfig?.ExternalCAs);
  empty('CAConfig.SigningCACert', spec.CAConfig?.SigningCACert);
  empty('CAConfig.SigningCAKey', spec.CAConfig?.SigningCAKey);
  same('CAConfig.ForceRotate', spec.CAConfig?.ForceRotate, 0);
  empty('TaskDefaults.LogDriver', spec.TaskDefaults?.LogDriver?.Name);
  same('EncryptionConfig.AutoLockManagers', spec.EncryptionConfig?.AutoLockManagers, false);
}
