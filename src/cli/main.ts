import { BerthError, errnoCode, messageOf } from '../base/errors.js';
import { BERTH_VERSION } from '../base/version.js';
import type { CommandSpec } from './args/command-spec.js';
import { parseArgs } from './args/parse-args.js';
import { BUILD_COMMAND, BUILDER_COMMAND, COMMIT_COMMAND } from './commands/build-commands.js';
import { CONTAINER_COMMAND, INSPECT_COMMAND } from './commands/container-commands.js';
import { EVENTS_COMMAND } from './commands/events-command.js';
import { IMAGE_COMMAND, SYSTEM_COMMAND } from './commands/image-commands.js';
import { VOLUME_COMMAND } from './commands/volume-commands.js';
import { CONFIG_COMMAND, SECRET_COMMAND } from './commands/secret-commands.js';
import { expandScanShortcut, SCAN_COMMAND } from './commands/security-commands.js';
import { LOGIN_COMMAND, LOGOUT_COMMAND } from './commands/distribution-commands.js';
import { REGISTRY_COMMAND } from './commands/registry-commands.js';
import { LAB_COMMAND } from './commands/lab-commands.js';
import { NETWORK_COMMAND } from './commands/network-commands.js';
import { CLUSTER_COMMAND } from './commands/cluster-commands.js';
import { NODE_COMMAND } from './commands/node-commands.js';
import { SERVICE_COMMAND } from './commands/service-commands.js';
import { AUDIT_COMMAND, CERTS_COMMAND, TOKEN_COMMAND } from './commands/access-commands.js';
import { COMPOSE_COMMAND, expandComposeFlags } from './commands/compose-commands.js';
import { STACK_COMMAND } from './commands/stack-commands.js';
import { POLICY_COMMAND } from './commands/policy-commands.js';
import { ATTEST_COMMAND, SIGN_COMMAND, VERIFY_ATTESTATION_COMMAND, VERIFY_COMMAND } from './commands/signing-commands.js';
import { DASHBOARD_COMMAND } from './commands/dashboard-commands.js';
import { ALERT_COMMAND } from './commands/alert-commands.js';
import { installPorts, type BerthPorts } from './berth-ports.js';
import { takeExitStatus } from './context.js';
import { EXIT_CODES } from './exit-codes.js';

/** Docker's top-level shortcuts: `berth images` is `berth image ls`, `berth run` is `berth container run`. */
const SHORTCUTS: Record<string, string[]> = {
  images: ['image', 'ls'],
  rmi: ['image', 'rm'],
  load: ['image', 'load'],
  save: ['image', 'save'],
  import: ['image', 'import'],
  tag: ['image', 'tag'],
  history: ['image', 'history'],
  pull: ['image', 'pull'],
  push: ['image', 'push'],
  ps: ['container', 'ls'],
  info: ['system', 'info'],
  sbom: ['scan', 'sbom'],
  ...Object.fromEntries(['run', 'create', 'start', 'stop', 'kill', 'restart', 'pause', 'unpause', 'rm', 'wait', 'logs', 'exec', 'attach', 'stats', 'top', 'diff', 'cp', 'export', 'rename', 'update'].map((verb) => [verb, ['container', verb]])),
};

const SHORTCUTS_HELP = `Shortcuts (as Docker's):\n${Object.entries(SHORTCUTS).map(([word, expansion]) => `  ${word.padEnd(9)} berth ${expansion.join(' ')}`).join('\n')}`;

/** Global options that take a value (the word after them is not the command). */
const VALUE_OPTIONS = new Set(['--root', '--host', '-H', '--token']);

/** The whole command tree. Command modules are imported only by the command that runs. */
export const PROGRAM: CommandSpec = {
  name: 'berth',
  description: 'berth: containers on Linux — images, engine, registry, build, security, orchestration',
  options: [
    { flags: '--root <dir>', description: 'state root for in-process image commands (default: $BERTH_ROOT; without either, image commands go through berthd)' },
    { flags: '-H, --host <url>', description: 'berthd socket (default: $BERTH_HOST or unix:///run/berth/berth.sock)' },
    { flags: '--token <token>', description: 'bearer token sent with every request (default: $BERTH_TOKEN, which other users cannot see in ps as they can a flag)' },
    { flags: '-v, --version', description: 'print the version' },
  ],
  commands: [
    CONTAINER_COMMAND, IMAGE_COMMAND, VOLUME_COMMAND, NETWORK_COMMAND, SYSTEM_COMMAND, INSPECT_COMMAND, SCAN_COMMAND, LOGIN_COMMAND, LOGOUT_COMMAND,
    REGISTRY_COMMAND, BUILD_COMMAND, COMMIT_COMMAND, BUILDER_COMMAND, EVENTS_COMMAND, LAB_COMMAND, CLUSTER_COMMAND, NODE_COMMAND, SERVICE_COMMAND, SECRET_COMMAND, CONFIG_COMMAND, COMPOSE_COMMAND, STACK_COMMAND,
    TOKEN_COMMAND, CERTS_COMMAND, AUDIT_COMMAND, POLICY_COMMAND, SIGN_COMMAND, VERIFY_COMMAND, ATTEST_COMMAND, VERIFY_ATTESTATION_COMMAND, ALERT_COMMAND, DASHBOARD_COMMAND,
  ],
};

/** The index of the command word: the first word that is not a global option or its value. */
function commandIndex(args: string[]): number {
  let index = 0;
  while (index < args.length && (args[index] ?? '').startsWith('-')) index += VALUE_OPTIONS.has(args[index] ?? '') ? 2 : 1;
  return index;
}

/** Replaces a shortcut (`run`, `ps`, `images`, …) by its expansion (`container run`, …); `help run` too. */
export function expandShortcuts(args: string[]): string[] {
  let index = commandIndex(args);
  if (args[index] === 'help') index++;
  const word = args[index];
  const expansion = word === undefined ? undefined : SHORTCUTS[word];
  return expandComposeFlags(expandScanShortcut(expansion ? [...args.slice(0, index), ...expansion, ...args.slice(index + 1)] : args, index), index);
}

/**
 * Runs the CLI with `argv` (process.argv form) and returns the exit code. `ports` are the parts
 * that run in this process (daemon/berth-main.ts composes them); without them, commands that need
 * one fail with failed-precondition.
 */
export async function main(argv: string[], ports?: BerthPorts): Promise<number> {
  installPorts(ports);
  process.stdout.on('error', (err) => {
    if (errnoCode(err) === 'EPIPE') process.exit(0); // the reader went away (`berth logs x | head`)
    throw err;
  });
  try {
    const parsed = parseArgs(PROGRAM, expandShortcuts(argv.slice(2)));
    if (parsed.kind === 'version') {
      process.stdout.write(`${BERTH_VERSION}\n`);
      return 0;
    }
    if (parsed.kind === 'help') {
      const { renderHelp } = await import('./args/render-help.js');
      process.stdout.write(renderHelp(parsed.path, parsed.path.length === 1 ? SHORTCUTS_HELP : ''));
      return 0;
    }
    await parsed.path[parsed.path.length - 1]?.run?.(parsed.invocation);
    return takeExitStatus();
  } catch (err) {
    if (err instanceof BerthError) {
      process.stderr.write(`Error: ${err.message}\n`);
      if (process.env.BERTH_DEBUG && err.cause) process.stderr.write(`caused by: ${messageOf(err.cause)}\n`);
      return EXIT_CODES[err.kind];
    }
    process.stderr.write(`Error: ${messageOf(err)}\n`);
    if (process.env.BERTH_DEBUG && err instanceof Error) process.stderr.write(`${err.stack ?? ''}\n`);
    return 1;
  }
}
