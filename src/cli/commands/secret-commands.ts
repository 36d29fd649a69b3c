/** `berth secret …` and `berth config …` as command specs (a cluster manager's berthd), as `docker secret|config`. */
import { argsOf, flagsOf, type CommandSpec } from '../args/command-spec.js';
import type { FileObjectKind } from '../../client/file-object-client.js';
import type { FileObjectCreateFlags, FileObjectListFlags } from './secret-actions.js';

const actions = () => import('./secret-actions.js');

function fileObjectCommand(kind: FileObjectKind): CommandSpec {
  const what = kind === 'secret' ? 'secrets (stored encrypted; their data is never shown)' : 'configs';
  return {
    name: kind,
    description: `Manage the cluster's ${what}`,
    commands: [
      {
        name: 'create', description: `Create a ${kind} from a file, or from stdin with "-" (less than 500 KiB, a config 1000 KiB); prints its id`, args: '<name> <file>',
        options: [{ flags: '-l, --label <key=value>', description: 'set a label; repeatable', repeat: true }],
        run: async ({ globals, args, options }) => {
          const [name, file] = [args.name, args.file];
          await (await actions()).createAction(globals, kind, String(name), String(file), flagsOf<FileObjectCreateFlags>(options));
        },
      },
      {
        name: 'ls', aliases: ['list'], description: `List ${kind}s`,
        options: [
          { flags: '-q, --quiet', description: 'only show ids' },
          { flags: '-f, --filter <key=value>', description: 'filter: id, name, label; repeatable', repeat: true },
          { flags: '--format <format>', description: 'table or json', default: 'table' },
        ],
        run: async ({ globals, options }) => { await (await actions()).listAction(globals, kind, flagsOf<FileObjectListFlags>(options)); },
      },
      {
        name: 'inspect', description: `Show details of one or more ${kind}s (JSON)`, args: `<${kind}...>`,
        run: async ({ globals, args }) => { await (await actions()).inspectAction(globals, kind, argsOf(args, kind)); },
      },
      {
        name: 'rm', aliases: ['remove'], description: `Remove one or more ${kind}s (not while a service uses them)`, args: `<${kind}...>`,
        run: async ({ globals, args }) => { await (await actions()).removeAction(globals, kind, argsOf(args, kind)); },
      },
    ],
  };
}

export const SECRET_COMMAND: CommandSpec = fileObjectCommand('secret');
export const CONFIG_COMMAND: CommandSpec = fileObjectCommand('config');
