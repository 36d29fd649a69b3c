import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterPsOutput } from './container-top.js';

const PS = `UID          PID    PPID  C STIME TTY          TIME CMD
root           1       0  0 10:00 ?        00:00:01 /sbin/init
root        4242    4200  0 10:01 ?        00:00:00 sleep 1000
root        4243    4242  0 10:01 ?        00:00:00 sh -c echo a b  c
`;

test('rows are limited to the container pids and the command keeps its spaces', () => {
  const table = filterPsOutput(PS, new Set([4242, 4243]));
  assert.deepEqual(table.titles, ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']);
  assert.deepEqual(table.processes.map((p) => p[1]), ['4242', '4243']);
  assert.equal(table.processes[1]?.[7], 'sh -c echo a b c');
});

test('ps arguments without a PID column are an invalid argument', () => {
  assert.throws(() => filterPsOutput('USER COMMAND\nroot init\n', new Set([1])), { kind: 'invalid-argument', reason: 'ps-no-pid-column' });
});
