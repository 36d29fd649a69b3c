import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDetectionRules } from './detection-rules.js';
import { matchingRules, programNames, spawnedByWorkload, type ContainerFacts } from './rule-match.js';
import type { ExecEvent } from './watch-events.js';

const CID = 'c0ffee';
const container: ContainerFacts = { image: 'busybox', initPid: 100, usesInit: false };

function exec(fields: Partial<ExecEvent>): ExecEvent {
  return { ev: 'exec', cid: CID, pid: 200, ppid: 100, parentIn: true, top: 100, exe: '/bin/busybox', argv: ['sh', '-c', 'x'], stdinNet: false, stdoutNet: false, ...fields };
}

const rules = parseDetectionRules([
  'rules:',
  '  - { name: shell, on: exec, programs: [sh, bash], spawned_by_workload: true }',
  '  - { name: reverse, on: exec, programs: [sh], stdio_network: true }',
  '  - { name: drift, on: exec, not_in_image: true }',
  '  - { name: memory, on: exec, exe_prefixes: ["/memfd:", /dev/shm/] }',
  '  - { name: shadow, on: open, paths: [/etc/shadow, /root/.ssh] }',
  '  - { name: system, on: write, paths: [/etc, /usr] }',
  '  - { name: raw, on: socket, socket_kinds: [raw] }',
  '  - { name: trace, on: ptrace, except_images: ["debug*"] }',
].join('\n'), 'r.yaml').rules;

const names = (matched: { name: string }[]): string[] => matched.map((r) => r.name);

describe('matchingRules', () => {
  it('knows a program by its file and by argv[0] (busybox applets, login shells)', () => {
    assert.deepEqual(programNames(exec({ exe: '/bin/busybox', argv: ['-sh'] })), ['busybox', 'sh']);
    assert.deepEqual(programNames(exec({ exe: '/tmp/x (deleted)', argv: [] })), ['x']);
  });

  it('tells a shell the workload spawned from one an exec started or the entry itself', () => {
    assert.equal(spawnedByWorkload(exec({}), container), true);
    assert.equal(spawnedByWorkload(exec({ parentIn: false, top: 200 }), container), false, 'the exec\'s own process');
    assert.equal(spawnedByWorkload(exec({ top: 150 }), container), false, 'below a process an exec started');
    assert.equal(spawnedByWorkload(exec({ ppid: 100 }), { ...container, usesInit: true }), false, 'the workload under berth\'s init');
    assert.equal(spawnedByWorkload(exec({ ppid: 120 }), { ...container, usesInit: true }), true);
  });

  it('matches exec rules on the process, and the drift rule only on the executed file', () => {
    assert.deepEqual(names(matchingRules(rules, exec({}), container)), ['shell']);
    assert.deepEqual(names(matchingRules(rules, exec({ parentIn: false, top: 200, stdinNet: true, stdoutNet: true }), container)), ['reverse']);
    assert.deepEqual(names(matchingRules(rules, exec({ exe: '/memfd:probe (deleted)', argv: ['probe'] }), container)), ['memory']);
    assert.deepEqual(names(matchingRules(rules, exec({ argv: ['ls'] }), container, { notInImage: true })), [], 'drift is not judged on the process');
    const file = { ev: 'execfile', cid: CID, pid: 200, path: '/tmp/bb', exe: '' } as const;
    assert.deepEqual(names(matchingRules(rules, file, container, { notInImage: true })), ['drift']);
    assert.deepEqual(names(matchingRules(rules, file, container, { notInImage: false })), []);
  });

  it('matches a path or what is below it, not a sibling with the same prefix', () => {
    const open = (path: string) => ({ ev: 'open', cid: CID, pid: 1, path, exe: '/bin/cat' } as const);
    assert.deepEqual(names(matchingRules(rules, open('/etc/shadow'), container)), ['shadow']);
    assert.deepEqual(names(matchingRules(rules, open('/root/.ssh/id_rsa'), container)), ['shadow']);
    assert.deepEqual(names(matchingRules(rules, open('/etc/shadow-'), container)), []);
    const write = (path: string) => ({ ev: 'write', cid: CID, pid: 1, path, exe: '/bin/sh' } as const);
    assert.deepEqual(names(matchingRules(rules, write('/usr/local/bin/x'), container)), ['system']);
    assert.deepEqual(names(matchingRules(rules, write('/usrdata/x'), container)), []);
    assert.deepEqual(names(matchingRules(rules, write('/tmp/x'), container)), []);
  });

  it('matches socket kinds and honours image exceptions', () => {
    assert.deepEqual(names(matchingRules(rules, { ev: 'socket', cid: CID, kind: 'raw', inode: 7, protocol: '1' }, container)), ['raw']);
    assert.deepEqual(names(matchingRules(rules, { ev: 'socket', cid: CID, kind: 'packet', inode: 8, protocol: '0x0003' }, container)), []);
    const trace = { ev: 'ptrace', cid: CID, pid: 3, target: 4, exe: '/usr/bin/gdb' } as const;
    assert.deepEqual(names(matchingRules(rules, trace, container)), ['trace']);
    assert.deepEqual(names(matchingRules(rules, trace, { ...container, image: 'debug-tools:1' })), []);
  });
});
