/**
 * `rename` and `update` (the restart policy only, for now): changes of a container's record that
 * need no run, made under the container's lock, announced as `rename` / `update` events.
 */
import type { ContainerEngine } from './container-engine.js';
import { checkContainerName } from './container-names.js';
import type { ContainerConfig } from './container-record.js';
import { checkRestartPolicy, type RestartPolicy } from './restart/restart-policy.js';

/**
 * Throws not-found (`no-such-container`), invalid-argument for a bad name, conflict
 * (`container-name-taken`) for a name in use.
 */
export async function renameContainer(engine: ContainerEngine, ref: string, requested: string): Promise<void> {
  const name = checkContainerName(requested);
  const { id } = engine.store.resolve(ref);
  await engine.locked(id, () => {
    const record = engine.inspect(id);
    if (name !== record.name) {
      engine.store.rename(id, name);
      engine.events.emit('action', id, 'rename', { oldName: `/${record.name}` });
    }
    return Promise.resolve();
  });
}

export interface ContainerUpdate {
  restartPolicy?: RestartPolicy;
}

/** Throws not-found, invalid-argument (`invalid-restart-policy`) as at create (e.g. with `--rm`). */
export async function updateContainer(engine: ContainerEngine, ref: string, update: ContainerUpdate): Promise<void> {
  const { id } = engine.store.resolve(ref);
  await engine.locked(id, () => {
    const record = engine.inspect(id);
    engine.store.setConfig(id, withUpdate(record.config, update));
    engine.events.emit('action', id, 'update', {});
    return Promise.resolve();
  });
}

function withUpdate(current: ContainerConfig, update: ContainerUpdate): ContainerConfig {
  const config = { ...current };
  if (update.restartPolicy !== undefined) {
    const policy = checkRestartPolicy(update.restartPolicy.name, update.restartPolicy.maximumRetryCount, current.autoRemove);
    if (policy.name === 'no') delete config.restartPolicy;
    else config.restartPolicy = policy;
  }
  return config;
}
