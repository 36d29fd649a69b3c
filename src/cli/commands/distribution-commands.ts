/**
 * `berth image pull`, `berth image push` (shortcuts `pull`, `push`), `berth login` and
 * `berth logout`. Through berthd by default; in this process with --root / BERTH_ROOT, as the
 * other image commands. Credentials live in Docker's config.json ($DOCKER_CONFIG).
 */
import { argOf, flagsOf, type CommandSpec } from '../args/command-spec.js';
import { compressionOptionSpecs } from './compression-flags.js';
import type { LoginFlags, PullFlags, PushFlags } from './distribution-flags.js';

const INSECURE = {
  flags: '--insecure-registry <host>',
  description: 'with --root: a registry (host[:port]) that may be reached over plain HTTP; repeatable (loopback ones always may). berthd takes its own --insecure-registry',
  repeat: true,
};

export const PULL_COMMAND: CommandSpec = {
  name: 'pull', description: 'Download an image from a registry', args: '<name>',
  options: [
    { flags: '--platform <platform>', description: 'os/arch[/variant] to pick from a multi-platform image (default: this machine\'s)' },
    { flags: '-a, --all-tags', description: 'pull every tag of the repository' },
    { flags: '-q, --quiet', description: 'print only the image name' },
    INSECURE,
  ],
  run: async ({ globals, args, options }) => { await (await import('./registry-actions.js')).pull(globals, argOf(args, 'name'), flagsOf<PullFlags>(options)); },
};

export const PUSH_COMMAND: CommandSpec = {
  name: 'push', description: 'Upload an image to a registry', args: '<name>',
  options: [
    { flags: '-q, --quiet', description: 'print only the pushed digest' },
    ...compressionOptionSpecs('layers as stored'),
    INSECURE,
  ],
  run: async ({ globals, args, options }) => { await (await import('./registry-actions.js')).push(globals, argOf(args, 'name'), flagsOf<PushFlags>(options)); },
};

/** `berth login`. */
export const LOGIN_COMMAND: CommandSpec = {
  name: 'login', description: 'Log in to a registry (checks the credentials, then stores them in $DOCKER_CONFIG/config.json)', args: '[registry]',
  options: [
    { flags: '-u, --username <name>', description: 'user name' },
    { flags: '-p, --password <password>', description: 'password (prefer --password-stdin)' },
    { flags: '--password-stdin', description: 'read the password from stdin' },
    INSECURE,
  ],
  run: async ({ globals, args, options }) => {
    const registry = args.registry;
    await (await import('./registry-actions.js')).login(globals, typeof registry === 'string' ? registry : undefined, flagsOf<LoginFlags>(options));
  },
};

/** `berth logout`. */
export const LOGOUT_COMMAND: CommandSpec = {
  name: 'logout', description: 'Remove the stored credentials of a registry', args: '[registry]',
  run: async ({ args }) => {
    const registry = args.registry;
    await (await import('./registry-actions.js')).logout(typeof registry === 'string' ? registry : undefined);
  },
};
