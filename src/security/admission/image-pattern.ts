/**
 * Image patterns of a rule's `match` and registry names: globs run by the base glob automaton (never
 * a RegExp, so no pattern can take exponential time). `*` is any run without `/`, `**` any run,
 * `?` one character other than `/`. A pattern is tried on the normalised reference
 * (`docker.io/library/busybox:1.36`) and on its repository (`docker.io/library/busybox`). Pure.
 */
import { globMatches, literalStep, notSlash, type GlobStep } from '../../base/glob-automaton.js';

const anything = (): boolean => true;

export class ImagePattern {
  readonly #steps: GlobStep[];

  constructor(readonly text: string) {
    const steps: GlobStep[] = [];
    for (let i = 0; i < text.length; i++) {
      const char = text[i] ?? '';
      if (char === '*' && text[i + 1] === '*') {
        steps.push({ kind: 'run', accepts: anything });
        i++;
      } else if (char === '*') {
        steps.push({ kind: 'run', accepts: notSlash });
      } else if (char === '?') {
        steps.push({ kind: 'one', accepts: notSlash });
      } else {
        steps.push(literalStep(char));
      }
    }
    this.#steps = steps;
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
