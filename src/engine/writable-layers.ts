/** The containers' writable layers (their upper dirs), as the snapshotter keeps them: where each is, and its size. */
import type { ContainerPaths } from './container-paths.js';
import type { TaskContext } from './container-task.js';

export class WritableLayers {
  constructor(private readonly paths: ContainerPaths, private readonly snapshotter: TaskContext['snapshotter']) {}

  /** The directory of the container's writable layer: what it changed since create. */
  dir(id: string): string {
    return this.snapshotter.layerDirs(this.paths.snapshotKey(id)).upper;
  }

  /** Its bytes; throws what the snapshotter throws for a layer it lacks. */
  size(id: string): Promise<number> {
    return this.snapshotter.usage(this.paths.snapshotKey(id));
  }
}
