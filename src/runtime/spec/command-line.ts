import { errors } from '../../base/errors.js';

/**
 * The process args of a container, by Docker's rules for merging the user's entrypoint/cmd with
 * the image's:
 * - a non-empty user entrypoint replaces the image's Entrypoint AND drops the image's Cmd; that
 *   includes `['']` (`--entrypoint ""`), which then means "no entrypoint": only the user's cmd runs;
 * - an empty list `[]` drops the image's Entrypoint but keeps its Cmd unless the user gives one;
 * - absent: a non-empty user cmd replaces the image's Cmd and the image's Entrypoint stays.
 * Throws invalid-argument (reason `no-command`) when nothing is left to run.
 */
export function commandLine(
  user: { entrypoint?: readonly string[] | undefined; cmd?: readonly string[] | undefined },
  image: { Entrypoint?: readonly string[] | null | undefined; Cmd?: readonly string[] | null | undefined },
): string[] {
  let entrypoint = user.entrypoint;
  let cmd = user.cmd ?? [];
  if (entrypoint === undefined || entrypoint.length === 0) {
    if (cmd.length === 0) cmd = image.Cmd ?? [];
    if (entrypoint === undefined) entrypoint = image.Entrypoint ?? [];
  }
  if (entrypoint.length === 1 && entrypoint[0] === '') entrypoint = [];
  const args = [...entrypoint, ...cmd];
  if (args.length === 0) {
    throw errors.invalidArgument('no-command', 'no command specified: set cmd or entrypoint (the image has neither)');
  }
  return args;
}
