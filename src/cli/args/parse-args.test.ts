import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CommandSpec } from './command-spec.js';
import { parseArgs, type ParseResult } from './parse-args.js';
import { renderHelp } from './render-help.js';

const run = (): Promise<void> => Promise.resolve();
const ROOT: CommandSpec = {
  name: 'tool',
  description: 'a tool',
  options: [{ flags: '--root <dir>', description: 'root' }, { flags: '-H, --host <url>', description: 'host' }, { flags: '-v, --version', description: 'version' }],
  commands: [{
    name: 'box',
    description: 'boxes',
    commands: [
      {
        name: 'run', description: 'run one', args: '<image> [command...]', passThrough: true, helpLongOnly: true, run,
        options: [
          { flags: '-d, --detach', description: 'detach' },
          { flags: '-i, --interactive', description: 'stdin' },
          { flags: '-t, --tty', description: 'tty' },
          { flags: '-e, --env <kv>', description: 'env', repeat: true },
          { flags: '-h, --hostname <name>', description: 'host name' },
          { flags: '--memory-swap <bytes>', description: 'swap' },
          { flags: '--sig-proxy [bool]', description: 'proxy' },
        ],
      },
      {
        name: 'rm', aliases: ['remove'], description: 'remove', args: '<name...>', run,
        options: [{ flags: '-f, --force', description: 'force' }, { flags: '--no-trunc', description: 'full' }, { flags: '--format <f>', description: 'format', default: 'table' }],
      },
    ],
  }],
};

function invocation(result: ParseResult): { path: string; args: unknown; options: unknown; globals: unknown } {
  if (result.kind !== 'run') throw new Error(`expected a run, got ${result.kind}`);
  return { path: result.path.map((c) => c.name).join(' '), ...result.invocation };
}

test('options before and after positionals; pass-through stops at the first positional', () => {
  const parsed = invocation(parseArgs(ROOT, ['--host', 'unix:///s', 'box', 'run', '-dit', '-eA=1', '--env', 'B=2', '-h', 'name', '--memory-swap', '-1', 'img', 'ls', '-l', '--', 'x']));
  assert.deepEqual(parsed, {
    path: 'tool box run',
    globals: { host: 'unix:///s' },
    args: { image: 'img', command: ['ls', '-l', '--', 'x'] },
    options: { env: ['A=1', 'B=2'], detach: true, interactive: true, tty: true, hostname: 'name', memorySwap: '-1' },
  });
  assert.deepEqual(invocation(parseArgs(ROOT, ['box', 'remove', 'a', '-f', 'b', '--no-trunc', '--format=json'])), {
    path: 'tool box rm', globals: {}, args: { name: ['a', 'b'] }, options: { force: true, trunc: false, format: 'json' },
  });
  assert.deepEqual(invocation(parseArgs(ROOT, ['box', 'rm', '--', '-dash-name'])).args, { name: ['-dash-name'] });
  assert.deepEqual(invocation(parseArgs(ROOT, ['box', 'run', '--sig-proxy=false', 'img'])).options, { env: [], sigProxy: false });
});

test('help and version', () => {
  assert.equal(parseArgs(ROOT, []).kind, 'help');
  assert.equal(parseArgs(ROOT, ['-v']).kind, 'version');
  const help = parseArgs(ROOT, ['box', 'run', '--help']);
  if (help.kind !== 'help') throw new Error('expected help');
  assert.deepEqual(parseArgs(ROOT, ['help', 'box', 'rm']), { kind: 'help', path: [ROOT, ROOT.commands?.[0], ROOT.commands?.[0]?.commands?.[1]] });
  assert.equal(parseArgs(ROOT, ['box']).kind, 'help');
  const text = renderHelp(help.path);
  assert.match(text, /^Usage: tool box run \[options\] <image> \[command\.\.\.\]\n\nrun one\n\nOptions:\n {2}-d, --detach +detach\n/);
  assert.match(text, /\n {2}--help +display help for command\n$/);
});

test('usage errors are invalid-argument and name the command', () => {
  assert.throws(() => parseArgs(ROOT, ['box', 'run', '--nope', 'img']), { kind: 'invalid-argument', message: "unknown option '--nope' (see 'tool box run --help')" });
  assert.throws(() => parseArgs(ROOT, ['box', 'run', '-x']), /unknown option '-x'/);
  assert.throws(() => parseArgs(ROOT, ['box', 'run']), /missing required argument 'image'/);
  assert.throws(() => parseArgs(ROOT, ['box', 'run', '-e']), /option '-e, --env <kv>' needs a value/);
  assert.throws(() => parseArgs(ROOT, ['box', 'rm', '--force=yes', 'a']), /takes no value/);
  assert.throws(() => parseArgs(ROOT, ['nope']), /unknown command 'nope'/);
  assert.throws(() => parseArgs(ROOT, ['--bogus', 'box']), /unknown option '--bogus'/);
});
