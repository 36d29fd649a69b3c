/**
 * `berth build`, `berth commit` and `berth builder prune` as command specs. They always go
 * through berthd: builds run their steps as containers on its engine.
 */
import { argOf, flagsOf, type CommandSpec } from '../args/command-spec.js';
import { compressionOptionSpecs } from './compression-flags.js';
import type { BuildFlags, CommitFlags } from './build-flags.js';

export const BUILD_COMMAND: CommandSpec = {
  name: 'build',
  description: 'Build an image from a Dockerfile (context: a directory, or - for a tar on stdin)',
  args: '<context>',
  options: [
    { flags: '-t, --tag <name>', description: 'name[:tag] for the image (repeatable)', repeat: true },
    { flags: '-f, --file <path>', description: 'the Dockerfile (default: <context>/Dockerfile)' },
    { flags: '--build-arg <arg>', description: 'KEY=VALUE for an ARG (KEY alone takes it from the environment; repeatable)', repeat: true },
    { flags: '--label <label>', description: 'KEY=VALUE label on the image (repeatable)', repeat: true },
    { flags: '--target <stage>', description: 'build up to this stage' },
    { flags: '--no-cache', description: 'run every step, do not use the build cache' },
    { flags: '--progress <mode>', description: 'auto, plain or tty', default: 'auto' },
    { flags: '-q, --quiet', description: 'print only the image id' },
    { flags: '--network <mode>', description: 'network of RUN steps: default (the bridge network), none or host' },
    { flags: '--iidfile <path>', description: 'write the image id to this file' },
    { flags: '--secret <spec>', description: 'a secret for RUN --mount=type=secret: id=NAME[,src=FILE] or id=NAME,env=VAR (repeatable)', repeat: true },
    ...compressionOptionSpecs('new layers uncompressed, base layers as stored'),
  ],
  run: async ({ globals, args, options }) => {
    const { runBuild } = await import('./build-run.js');
    await runBuild(globals, argOf(args, 'context'), flagsOf<BuildFlags>(options));
  },
};

export const COMMIT_COMMAND: CommandSpec = {
  name: 'commit',
  description: "Create a new image from a container's changes",
  args: '<container> [repository]',
  options: [
    { flags: '-c, --change <instruction>', description: 'a Dockerfile instruction to apply (CMD, ENV, …; repeatable)', repeat: true },
    { flags: '-m, --message <text>', description: 'commit message' },
    { flags: '-a, --author <name>', description: 'author (e.g. "Jane <jane@example.com>")' },
    { flags: '-p, --pause <bool>', description: 'pause the container while committing', default: 'true' },
  ],
  run: async ({ globals, args, options }) => {
    const { runCommit } = await import('./build-run.js');
    const repository = args.repository;
    await runCommit(globals, argOf(args, 'container'), typeof repository === 'string' ? repository : undefined, flagsOf<CommitFlags>(options));
  },
};

export const BUILDER_COMMAND: CommandSpec = {
  name: 'builder',
  description: 'Manage the build cache',
  commands: [
    {
      name: 'prune', description: 'Remove the build cache (and the intermediate images only it kept)',
      options: [
        { flags: '-f, --force', description: 'do not ask (accepted for compatibility; berth never asks)' },
        { flags: '-a, --all', description: 'accepted for compatibility: the whole cache is removed' },
      ],
      run: async ({ globals }) => {
        const { runBuilderPrune } = await import('./build-run.js');
        await runBuilderPrune(globals);
      },
    },
  ],
};
