import { Command, CommanderError } from 'commander';
import { BerthError, messageOf } from '../base/errors.js';
import { EXIT_CODES } from './exit-codes.js';
import { registerImageList } from './commands/image-list.js';
import { registerImageInspect } from './commands/image-inspect.js';
import { registerImageTransfer } from './commands/image-transfer.js';
import { registerSystem } from './commands/system.js';

/** Docker's top-level shortcuts for image commands: `berth images` is `berth image ls`. */
const SHORTCUTS: Record<string, string[]> = {
  images: ['image', 'ls'],
  rmi: ['image', 'rm'],
  load: ['image', 'load'],
  save: ['image', 'save'],
  import: ['image', 'import'],
  tag: ['image', 'tag'],
  history: ['image', 'history'],
};

export function buildProgram(): Command {
  const program = new Command('berth')
    .description('berth: containers on Linux — images, engine, registry, build, security, orchestration')
    .option('--root <dir>', 'state root (default: $BERTH_ROOT or /var/lib/berth)')
    .showHelpAfterError()
    .exitOverride();
  const image = program.command('image').description('Manage images');
  registerImageList(image);
  registerImageInspect(image);
  registerImageTransfer(image);
  registerSystem(program);
  for (const cmd of [program, image, ...program.commands, ...image.commands]) cmd.exitOverride();
  return program;
}

function expandShortcuts(args: string[]): string[] {
  const index = args.findIndex((arg, i) => !arg.startsWith('-') && args[i - 1] !== '--root');
  const word = index >= 0 ? args[index] : undefined;
  const expansion = word === undefined ? undefined : SHORTCUTS[word];
  return expansion ? [...args.slice(0, index), ...expansion, ...args.slice(index + 1)] : args;
}

/** Runs the CLI with `argv` (process.argv form) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const args = expandShortcuts(argv.slice(2));
  try {
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : 2;
    }
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
