/** `berth volume …` as command specs (through berthd). */
import { argsOf, flagsOf, type CommandSpec } from '../args/command-spec.js';
import type { VolumeCreateFlags, VolumeListFlags, VolumePruneFlags } from './volume-actions.js';

const actions = () => import('./volume-actions.js');

export const VOLUME_COMMAND: CommandSpec = {
  name: 'volume',
  description: 'Manage volumes (through berthd)',
  commands: [
    {
      name: 'create', description: 'Create a volume (a random name when none is given); prints its name', args: '[name]',
      options: [
        { flags: '-d, --driver <name>', description: 'volume driver (local)' },
        { flags: '-o, --opt <key=value>', description: 'driver option: uid, gid, mode (e.g. mode=0770), or type/device/o (type=tmpfs,device=tmpfs,o=size=64m); repeatable', repeat: true },
        { flags: '-l, --label <key=value>', description: 'set a label; repeatable', repeat: true },
      ],
      run: async ({ globals, args, options }) => {
        const name = args.name;
        await (await actions()).createAction(globals, typeof name === 'string' ? name : undefined, flagsOf<VolumeCreateFlags>(options));
      },
    },
    {
      name: 'ls', aliases: ['list'], description: 'List volumes',
      options: [
        { flags: '-q, --quiet', description: 'only show volume names' },
        { flags: '-f, --filter <key=value>', description: 'filter: dangling=true|false, name, label, driver; repeatable', repeat: true },
        { flags: '--format <format>', description: 'table or json', default: 'table' },
      ],
      run: async ({ globals, options }) => { await (await actions()).listAction(globals, flagsOf<VolumeListFlags>(options)); },
    },
    {
      name: 'inspect', description: 'Show details of one or more volumes (JSON)', args: '<volume...>',
      options: [{ flags: '-f, --format <template>', description: 'print {{.Field}} / {{json .Field}} per volume instead of JSON' }],
      run: async ({ globals, args, options }) => { await (await actions()).inspectAction(globals, argsOf(args, 'volume'), typeof options.format === 'string' ? options.format : undefined); },
    },
    {
      name: 'rm', aliases: ['remove'], description: 'Remove one or more volumes (not while a container uses them)', args: '<volume...>',
      options: [{ flags: '-f, --force', description: 'no error for a volume that does not exist' }],
      run: async ({ globals, args, options }) => { await (await actions()).removeAction(globals, argsOf(args, 'volume'), options.force === true); },
    },
    {
      name: 'prune', description: 'Remove unused anonymous volumes (with --all every unused volume)',
      options: [
        { flags: '-a, --all', description: 'remove all unused volumes, not just anonymous ones' },
        { flags: '--filter <key=value>', description: 'filter: label, label!; repeatable', repeat: true },
        { flags: '-f, --force', description: 'do not prompt (berth never prompts; accepted for compatibility)' },
      ],
      run: async ({ globals, options }) => { await (await actions()).pruneAction(globals, flagsOf<VolumePruneFlags>(options)); },
    },
  ],
};
