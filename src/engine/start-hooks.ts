/**
 * Work other parts of berthd do for every run of a container after its task is created (root
 * filesystem mounted, process made but not yet running its program) and before it runs: runtime
 * detection starts watching the container there, so nothing the program does escapes it. A hook
 * that throws fails the start.
 */
export type StartHook = (id: string) => Promise<void>;

export class StartHooks {
  readonly #hooks = new Set<StartHook>();

  /** Adds a hook; returns the function that removes it. */
  add(hook: StartHook): () => void {
    this.#hooks.add(hook);
    return () => { this.#hooks.delete(hook); };
  }

  async run(id: string): Promise<void> {
    for (const hook of this.#hooks) await hook(id);
  }
}
