/**
 * Glob patterns run as an automaton: a pattern is a list of steps and the text is read once while
 * the set of steps it could be at is kept, so a match costs at most (text length × steps), whatever
 * the pattern. Patterns that arrive in requests (`reference` filters, `.dockerignore` files, COPY
 * sources) must not be translated to RegExp: its backtracking takes exponential time on patterns
 * such as `*a*a*a*a*a*a*a*a*b`. Characters are UTF-16 code units, as in RegExp without `u`. Pure.
 */
export type GlobStep =
  /** Exactly one character that `accepts` takes (a literal, `?`, a class). */
  | { kind: 'one'; accepts: (char: string) => boolean }
  /** Any run, the empty one included, of characters that `accepts` takes (`*`, `**`). */
  | { kind: 'run'; accepts: (char: string) => boolean }
  /** Nothing, or a run of characters that `accepts` takes ending in `/` (`**` followed by `/`). */
  | { kind: 'dirs'; accepts: (char: string) => boolean };

/**
 * States: 2i is "before step i", 2i+1 "inside the dirs step i"; 2·steps.length is the end. Adds
 * every state reachable without reading a character.
 */
function close(steps: readonly GlobStep[], states: Iterable<number>): Set<number> {
  const closed = new Set<number>();
  const pending = [...states];
  for (let state = pending.pop(); state !== undefined; state = pending.pop()) {
    if (closed.has(state)) continue;
    closed.add(state);
    const step = state % 2 === 0 ? steps[state / 2] : undefined;
    if (step !== undefined && step.kind !== 'one') pending.push(state + 2);
  }
  return closed;
}

function advance(steps: readonly GlobStep[], states: ReadonlySet<number>, char: string): number[] {
  const next: number[] = [];
  for (const state of states) {
    const index = Math.floor(state / 2);
    const step = steps[index];
    if (step === undefined) continue;
    const accepted = step.accepts(char);
    if (state % 2 === 1 || step.kind === 'dirs') {
      if (char === '/' && accepted) next.push(2 * index + 2);
      if (accepted) next.push(2 * index + 1);
    } else if (accepted) {
      next.push(step.kind === 'one' ? state + 2 : state);
    }
  }
  return next;
}

/** Whether the whole of `text` matches the steps. */
export function globMatches(steps: readonly GlobStep[], text: string): boolean {
  let states = close(steps, [0]);
  for (let i = 0; i < text.length && states.size > 0; i++) states = close(steps, advance(steps, states, text[i] ?? ''));
  return states.has(2 * steps.length);
}

/** The step for one literal character. */
export function literalStep(literal: string): GlobStep {
  return { kind: 'one', accepts: (char) => char === literal };
}

/** Any character but `/`. */
export const notSlash = (char: string): boolean => char !== '/';

/**
 * The steps of a path glob without classes: `*` a run without `/`, `?` one character other than
 * `/`, `**` every run (`/` included) — and with `emptyDirs`, `**` followed by `/` may also be nothing
 * (`**` then `/app` matches `app`). Everything else is literal.
 */
export function pathGlobSteps(text: string, options: { emptyDirs: boolean }): GlobStep[] {
  const steps: GlobStep[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    if (char === '*' && text[i + 1] === '*') {
      const dirs = options.emptyDirs && text[i + 2] === '/';
      steps.push({ kind: dirs ? 'dirs' : 'run', accepts: anyChar });
      i += dirs ? 2 : 1;
    } else if (char === '*') {
      steps.push({ kind: 'run', accepts: notSlash });
    } else if (char === '?') {
      steps.push({ kind: 'one', accepts: notSlash });
    } else {
      steps.push(literalStep(char));
    }
  }
  return steps;
}

const anyChar = (): boolean => true;
