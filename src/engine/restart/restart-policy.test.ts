import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkRestartPolicy, formatRestartPolicy, nextBackoffMs, parseRestartFlag, restartsAfterExit, startsAtBoot, type RestartPolicy,
} from './restart-policy.js';

const policy = (text: string): RestartPolicy => parseRestartFlag(text, false);
const facts = (exitCode: number, restartCount = 0, manuallyStopped = false) => ({ exitCode, restartCount, manuallyStopped });

test('parse and check policies as Docker does', () => {
  assert.deepEqual(policy('on-failure:3'), { name: 'on-failure', maximumRetryCount: 3 });
  assert.deepEqual(policy('always'), { name: 'always', maximumRetryCount: 0 });
  assert.deepEqual(checkRestartPolicy('', 0, true), { name: 'no', maximumRetryCount: 0 });
  assert.equal(formatRestartPolicy(policy('on-failure:2')), 'on-failure:2');
  assert.throws(() => policy('sometimes'), /invalid restart policy 'sometimes'/);
  assert.throws(() => policy('always:3'), /cannot be used with restart policy 'always'/);
  assert.throws(() => policy('on-failure:x'), /--restart on-failure:x/);
  assert.throws(() => parseRestartFlag('always', true), /AutoRemove/);
  assert.throws(() => checkRestartPolicy('on-failure', -1, false), /negative/);
});

test('decisions after an exit', () => {
  assert.equal(restartsAfterExit(policy('no'), facts(1)), false);
  assert.equal(restartsAfterExit(policy('on-failure'), facts(0)), false);
  assert.equal(restartsAfterExit(policy('on-failure'), facts(1, 99)), true);
  assert.equal(restartsAfterExit(policy('on-failure:2'), facts(1, 1)), true);
  assert.equal(restartsAfterExit(policy('on-failure:2'), facts(1, 2)), false);
  assert.equal(restartsAfterExit(policy('always'), facts(0)), true);
  assert.equal(restartsAfterExit(policy('always'), facts(0, 0, true)), false);
  assert.equal(restartsAfterExit(policy('unless-stopped'), facts(137, 0, true)), false);
});

test('decisions when berthd starts', () => {
  assert.equal(startsAtBoot(policy('always'), facts(0, 0, true)), true);
  assert.equal(startsAtBoot(policy('unless-stopped'), facts(0, 0, true)), false);
  assert.equal(startsAtBoot(policy('unless-stopped'), facts(0)), true);
  assert.equal(startsAtBoot(policy('on-failure:1'), facts(255)), true);
  assert.equal(startsAtBoot(policy('on-failure:1'), facts(255, 1)), false);
  assert.equal(startsAtBoot(policy('on-failure'), facts(0)), false);
  assert.equal(startsAtBoot(policy('no'), facts(1)), false);
});

test('backoff: 100 ms doubling to a minute, reset after a 10 s run', () => {
  const waits: number[] = [];
  let wait: number | undefined;
  for (let i = 0; i < 12; i++) waits.push(wait = nextBackoffMs(wait, 50));
  assert.deepEqual(waits.slice(0, 5), [100, 200, 400, 800, 1600]);
  assert.equal(waits[11], 60_000);
  assert.equal(nextBackoffMs(60_000, 10_000), 100);
  assert.equal(nextBackoffMs(400, 9_999), 800);
});
