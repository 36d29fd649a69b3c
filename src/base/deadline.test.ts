import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { deadline } from './deadline.js';

test('aborts after its time, or with its parent, and not after clear', async () => {
  const quick = deadline(10);
  await once(quick.signal, 'abort');
  assert.equal((quick.signal.reason as DOMException).name, 'TimeoutError');
  const parent = new AbortController();
  const linked = deadline(60_000, parent.signal);
  parent.abort(new Error('stop'));
  assert.equal(linked.signal.aborted, true);
  linked.clear();
  const cleared = deadline(5);
  cleared.clear();
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(cleared.signal.aborted, false);
});

test('still fires after garbage collections (AbortSignal.any over AbortSignal.timeout does not, on Node 20)', () => {
  const module = fileURLToPath(new URL('./deadline.js', import.meta.url));
  const script = `
    const { deadline } = await import(${JSON.stringify(module)});
    const { signal } = deadline(100);
    let fired = false;
    signal.addEventListener('abort', () => { fired = true; });
    for (let i = 0; i < 5; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 10)); }
    await new Promise((r) => setTimeout(r, 300));
    console.log(fired);`;
  const result = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(result.stdout.trim(), 'true', result.stderr);
});
