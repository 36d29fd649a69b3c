/**
 * `.dockerignore` files and the path patterns behind them (also COPY's source patterns): parsing,
 * then matching context paths. The input is the file; its lines starting with `> ` are instead
 * paths of the context to match against it.
 */
import { cleanPattern, compilePattern } from '../../src/wire/dockerignore-patterns.js';
import { DockerIgnore } from '../../src/wire/dockerignore.js';
import { refusing } from '../support/refusal.js';

const DEFAULT_PATHS = ['Dockerfile', 'src/app/main.go', 'node_modules/x/index.js', '.git/HEAD', 'a/b/c/d/e/f'];

export function fuzz(data: Buffer): void {
  const lines = data.toString('utf8').split('\n');
  const paths = lines.filter((line) => line.startsWith('> ')).map((line) => line.slice(2));
  const text = lines.filter((line) => !line.startsWith('> ')).join('\n');
  const ignore = refusing(() => DockerIgnore.parse(text));
  for (const path of paths.length > 0 ? paths : DEFAULT_PATHS) {
    ignore?.excludes(path);
    ignore?.canSkipDirectory(path);
  }
  const source = refusing(() => compilePattern(cleanPattern(lines[0] ?? '')));
  for (const path of paths) source?.test(path);
}
