/**
 * Globs of the registry policy (repository names and tags), run by the base glob automaton, never
 * translated to a RegExp (a policy's text must not be able to make a match take exponential time).
 * `*` is a run without `/`, `?` one character other than `/`, `**` every run (`/` included), and
 * `**` followed by `/` may also match nothing at all (`**` then `/app` matches `app`, `a/app` and
 * `a/b/app`). Everything else is literal. Pure.
 */
import { globMatches, pathGlobSteps, type GlobStep } from '../../base/glob-automaton.js';

export class RegistryGlob {
  readonly #steps: GlobStep[];

  constructor(readonly text: string) {
    this.#steps = pathGlobSteps(text, { emptyDirs: true });
  }

  /** Whether the whole of `value` matches. */
  matches(value: string): boolean {
    return globMatches(this.#steps, value);
  }
}
