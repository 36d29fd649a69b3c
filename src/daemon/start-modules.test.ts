// What berthd and the berth CLI load at start: the packages only some nodes or commands use load on
// first use (README.md, docs/architecture.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

/** The files of npm packages that importing `module` (next to this file) loads, in a fresh process. */
function packageFilesLoadedBy(module: string): string[] {
  // In a fresh process: the test runner's own imports would hide what the module alone loads.
  const script = [
    "import { createRequire } from 'node:module';",
    `await import(${JSON.stringify(new URL(module, import.meta.url).href)});`,
    'process.stdout.write(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));',
  ].join('\n');
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return (JSON.parse(run.stdout) as string[]).filter((path) => path.includes('/node_modules/'));
}

test('berthd\'s modules load none of the packages that only a cluster, a build, a registry or a flag\'s file needs', () => {
  const loaded = packageFilesLoadedBy('./berthd.js');
  assert.ok(loaded.some((path) => path.includes('/node_modules/better-sqlite3/')), 'the check sees the packages berthd does load');
  for (const name of ['etcd3', '@grpc/grpc-js', '@peculiar/x509', 'reflect-metadata', 'dockerfile-ast', 'yaml', 'bcryptjs', '@sigstore/sign', '@sigstore/verify', 'tweetnacl']) {
    assert.deepEqual(loaded.filter((path) => path.includes(`/node_modules/${name}/`)), [], `${name} is loaded at start`);
  }
});

test('the berth CLI\'s modules load no package that only some commands need (yaml was most of a start)', () => {
  const loaded = packageFilesLoadedBy('./berth-main.js');
  assert.deepEqual(loaded.filter((path) => /\/node_modules\/(yaml|zod|ajv|better-sqlite3|etcd3|@peculiar|@sigstore|tweetnacl)\//.test(path)), []);
});
