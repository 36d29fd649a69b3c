/**
 * `.dockerignore` with Docker's semantics: one pattern a line (`#` comments and blank lines
 * skipped), `!` makes an exception, the LAST pattern that matches decides, and a pattern that
 * matches a directory excludes everything below it (unless a later exception matches the path).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from '../base/errors.js';
import { cleanPattern, compilePattern, type PathMatcher } from './dockerignore-patterns.js';

interface IgnoreRule {
  regex: PathMatcher;
  exception: boolean;
  /** The cleaned pattern (for the "could an exception match below" check). */
  pattern: string;
}

export class DockerIgnore {
  private constructor(private readonly rules: IgnoreRule[]) {}

  static parse(text: string): DockerIgnore {
    const rules: IgnoreRule[] = [];
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const exception = line.startsWith('!');
      const pattern = cleanPattern(exception ? line.slice(1) : line);
      rules.push({ regex: compilePattern(pattern), exception, pattern });
    }
    return new DockerIgnore(rules);
  }

  /** The `.dockerignore` of a context directory; none there matches nothing. */
  static async read(dir: string): Promise<DockerIgnore> {
    try {
      return DockerIgnore.parse(await readFile(join(dir, '.dockerignore'), 'utf8'));
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return DockerIgnore.empty();
      throw err;
    }
  }

  static empty(): DockerIgnore {
    return new DockerIgnore([]);
  }

  get hasExceptions(): boolean {
    return this.rules.some((r) => r.exception);
  }

  /** Whether the context path (relative, `/`-separated) is excluded. */
  excludes(path: string): boolean {
    const parents = parentPaths(path);
    let excluded = false;
    for (const rule of this.rules) {
      if (parents.some((p) => rule.regex.test(p))) excluded = !rule.exception;
    }
    return excluded;
  }

  /**
   * Whether nothing below an excluded directory can be included again, so a walk may skip it:
   * true unless some exception pattern could match a path below `dir`.
   */
  canSkipDirectory(dir: string): boolean {
    return !this.rules.some((r) => r.exception && (r.pattern.startsWith(`${dir}/`) || r.pattern.includes('*') || r.pattern.includes('?') || r.pattern.includes('[')));
  }
}

/** `a/b/c` → [`a`, `a/b`, `a/b/c`]. */
function parentPaths(path: string): string[] {
  const parts = path.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}
