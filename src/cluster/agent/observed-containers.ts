/**
 * What the agent knows of its task containers: a listing of the engine, overlaid with the changes
 * the agent made (or heard of) since. Every change is stamped with a sequence number, and a
 * listing replaces a task's entry only if nothing changed it after the listing began — so a
 * listing that raced with a run or a removal never hides that run or brings back that container.
 * Listings must not overlap (the agent lists from one chain); changes may come at any time.
 */
import type { TaskContainer } from './agent-ports.js';

export class ObservedContainers {
  readonly #byTask = new Map<string, readonly TaskContainer[]>();
  readonly #changedAt = new Map<string, number>();
  #sequence = 0;

  /** Call before listing; pass the result to `applyListing` with the listing. */
  beginListing(): number {
    this.#sequence += 1;
    return this.#sequence;
  }

  /** Takes a listing begun at `startedAt` for every task the agent did not change since. */
  applyListing(startedAt: number, listing: readonly TaskContainer[]): void {
    const listed = new Map<string, TaskContainer[]>();
    for (const container of listing) listed.set(container.taskId, [...(listed.get(container.taskId) ?? []), container]);
    for (const taskId of new Set([...listed.keys(), ...this.#byTask.keys()])) {
      if ((this.#changedAt.get(taskId) ?? 0) > startedAt) continue;
      const containers = listed.get(taskId);
      if (containers === undefined) this.#byTask.delete(taskId);
      else this.#byTask.set(taskId, containers);
      this.#changedAt.delete(taskId);
    }
  }

  /** The task's containers (normally none or one). */
  of(taskId: string): readonly TaskContainer[] {
    return this.#byTask.get(taskId) ?? [];
  }

  /** Ids of every task that has a container. */
  taskIds(): string[] {
    return [...this.#byTask.keys()];
  }

  /** Records a container the agent started, or one whose state it learned (an exit). */
  put(container: TaskContainer): void {
    const others = this.of(container.taskId).filter((c) => c.containerId !== container.containerId);
    this.#set(container.taskId, [...others, container]);
  }

  /** Records that the agent removed a container. */
  drop(taskId: string, containerId: string): void {
    this.#set(taskId, this.of(taskId).filter((c) => c.containerId !== containerId));
  }

  #set(taskId: string, containers: readonly TaskContainer[]): void {
    this.#sequence += 1;
    this.#changedAt.set(taskId, this.#sequence);
    if (containers.length === 0) this.#byTask.delete(taskId);
    else this.#byTask.set(taskId, containers);
  }
}
