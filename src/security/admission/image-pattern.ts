/**
 * Image patterns of a rule's `match` and registry names: globs run by the base glob automaton (never
 * a RegExp, so no pattern can take exponential time). `*` is any run without `/`, `**` any run,
 * `?` one character other than `/`. A pattern is tried on the normalised reference
 * (`docker.io/library/busybox:1.36`) and on its repository (`docker.io/library/busybox`). Pure.
 */
import { globMatches, pathGlobSteps, type GlobStep } from '../../base/glob-automaton.js';

export class ImagePattern {
  readonly #steps: GlobStep[];

  constructor(readonly text: string) {
    this.#steps = pathGlobSteps(text, { emptyDirs: false });
  }

  /** Whether the pattern matches one of `candidates` whole. */
  matchesAny(candidates: readonly string[]): boolean {
    return candidates.some((candidate) => globMatches(this.#steps, candidate));
  }
}

/** `docker.io/library/busybox:1.36` → itself and `docker.io/library/busybox`; `host/a@sha256:…` → itself and `host/a`. */
export function matchCandidates(name: string): string[] {
  const at = name.indexOf('@');
  const withoutDigest = at >= 0 ? name.slice(0, at) : name;
  const colon = withoutDigest.lastIndexOf(':');
  const repository = colon > withoutDigest.lastIndexOf('/') ? withoutDigest.slice(0, colon) : withoutDigest;
  return repository === name ? [name] : [name, repository];
}
