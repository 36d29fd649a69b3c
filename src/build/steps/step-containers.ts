/**
 * The containers of RUN steps belong to the builder process that made them (label
 * `berth.build.owner`, its owner tag): a step removes its container when it ends, and a builder
 * killed mid-step (with berthd, or a `berth --root … build`) leaves it for the next builder to
 * remove, so no step container stays visible in `ps -a`.
 */
import { isOwnerAlive } from '../../base/process-alive.js';
import type { ContainerEngine } from '../../engine/container-engine.js';

export const BUILD_OWNER_LABEL = 'berth.build.owner';

/** Removes the step containers of builders that are gone. Returns how many. */
export async function removeDeadBuildersContainers(engine: ContainerEngine): Promise<number> {
  let removed = 0;
  for (const record of engine.list()) {
    const owner = record.config.options.labels?.[BUILD_OWNER_LABEL];
    if (owner === undefined || isOwnerAlive(owner)) continue;
    await engine.remove(record.id, { force: true });
    removed++;
  }
  return removed;
}
