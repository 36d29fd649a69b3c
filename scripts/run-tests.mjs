// Runs compiled tests with node's test runner: `unit` (next to the code in src/),
// `integration` and `e2e` (under test/, need root), or `all` of them in one run.
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const suites = {
  unit: ['dist/src'],
  integration: ['dist/test/integration'],
  e2e: ['dist/test/e2e'],
  all: ['dist/src', 'dist/test/integration', 'dist/test/e2e'],
};

function findTests(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findTests(path);
    return name.endsWith('.test.js') ? [path] : [];
  });
}

const which = process.argv[2] ?? 'all';
const roots = suites[which];
if (!roots) {
  console.error(`run-tests: unknown suite ${which} (unit, integration, e2e, all)`);
  process.exit(2);
}
const files = roots.flatMap(findTests).sort();
if (files.length === 0) {
  console.error(`run-tests: no compiled tests for ${which}; run npm run build first`);
  process.exit(1);
}
// Integration tests mount, bind ports and start daemons: one file at a time keeps them apart.
const result = spawnSync(
  process.execPath,
  ['--enable-source-maps', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
