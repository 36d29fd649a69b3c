/** `logs`: a container's output, demultiplexed to stdout and stderr (raw with a TTY). */
import type { GlobalOptions } from '../args/command-spec.js';
import { RAW_STREAM, copyOutput } from '../../client/stdio-output.js';
import { withClient } from '../context.js';
import { apiTime } from '../time-arg.js';

export interface LogsFlags {
  follow?: boolean;
  tail?: string;
  since?: string;
  until?: string;
  timestamps?: boolean;
}

/** `logs`: copies the log (following with -f until the container stops) to stdout and stderr. */
export async function logsAction(globals: GlobalOptions, target: string, flags: LogsFlags): Promise<void> {
  const now = new Date();
  const since = flags.since === undefined ? undefined : apiTime(flags.since, now, '--since');
  const until = flags.until === undefined ? undefined : apiTime(flags.until, now, '--until');
  await withClient(globals, async (client) => {
    const response = await client.containers.logs(target, {
      follow: flags.follow === true,
      timestamps: flags.timestamps === true,
      ...(flags.tail === undefined ? {} : { tail: flags.tail }),
      ...(since === undefined ? {} : { since }),
      ...(until === undefined ? {} : { until }),
    });
    const type = response.headers['content-type'];
    const tty = type === undefined ? (await client.containers.inspect(target)).Config.Tty : type === RAW_STREAM;
    await copyOutput(response as AsyncIterable<Buffer>, tty, { stdout: process.stdout, stderr: process.stderr });
  });
}
