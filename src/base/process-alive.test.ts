import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { isOwnerAlive, isProcessAlive, ownerTag } from './process-alive.js';

test('this process is alive by pid and by owner tag; another start time is another process', () => {
  assert.ok(isProcessAlive(process.pid));
  const tag = ownerTag();
  assert.match(tag, new RegExp(`^${process.pid}\\.\\d+$`));
  assert.ok(isOwnerAlive(tag));
  assert.ok(isOwnerAlive(String(process.pid)), 'a bare pid, as names from before tags have');
  const [, start] = tag.split('.');
  assert.equal(isOwnerAlive(`${process.pid}.${Number(start) + 1}`), false, 'a reused pid is not the owner');
  assert.equal(isOwnerAlive('garbage'), false);
  assert.equal(isProcessAlive(0), false);
});

test('a zombie (exited, never reaped) is not alive, though a signal still reaches its pid', async () => {
  // The background job's parent becomes `sleep`, which never reaps it: it stays a zombie.
  const parent = spawn('sh', ['-c', 'sleep 0.2 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const [line] = (await once(parent.stdout, 'data')) as [Buffer];
    const pid = Number(line.toString().trim());
    const deadline = Date.now() + 10_000;
    while (!readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')) {
      assert.ok(Date.now() < deadline, 'the job became a zombie');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    process.kill(pid, 0);
    assert.equal(isProcessAlive(pid), false);
  } finally {
    parent.kill('SIGKILL');
  }
});
