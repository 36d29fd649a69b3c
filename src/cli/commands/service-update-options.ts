/** The options of `berth service update` and `berth service rollback`: Docker's names (service-update-flags.ts reads them). */
import type { OptionSpec } from '../args/command-spec.js';
import { SERVICE_CREATE_OPTIONS } from './service-create-options.js';

const HEALTH_OPTIONS = SERVICE_CREATE_OPTIONS.filter((o) => /^--(health-|no-healthcheck)/.test(o.flags));

const FOLLOW_OPTIONS: OptionSpec[] = [
  { flags: '-d, --detach', description: 'do not wait for the tasks to be rolled over' },
  { flags: '--wait', description: 'wait for the update to end even when stderr is no terminal (the default on a terminal); fails when it paused or rolled back' },
];

const rollingOptions = (prefix: 'update' | 'rollback'): OptionSpec[] => [
  { flags: `--${prefix}-parallelism <n>`, description: `tasks ${prefix === 'update' ? 'updated' : 'rolled back'} at once (0: all at once; default 1)` },
  { flags: `--${prefix}-delay <duration>`, description: 'wait between batches (e.g. 10s)' },
  { flags: `--${prefix}-order <order>`, description: 'stop-first (default) or start-first (the new task runs before the old one stops)' },
  { flags: `--${prefix}-failure-action <action>`, description: prefix === 'update' ? 'when the update fails: pause (default), continue or rollback' : 'when the rollback fails: pause (default) or continue' },
  { flags: `--${prefix}-monitor <duration>`, description: 'how long each new task is watched for failure once running (default 5s)' },
  { flags: `--${prefix}-max-failure-ratio <ratio>`, description: 'failed tasks tolerated, as a fraction of the tasks (default 0)' },
];

export const SERVICE_UPDATE_OPTIONS: OptionSpec[] = [
  { flags: '--image <image>', description: 'the tasks\' image' },
  { flags: '--env-add <key=value>', description: 'add or replace an environment variable (KEY alone: from this environment); repeatable', repeat: true },
  { flags: '--env-rm <key>', description: 'remove an environment variable; repeatable', repeat: true },
  { flags: '--replicas <n>', description: 'number of tasks (as service scale)' },
  ...HEALTH_OPTIONS,
  ...rollingOptions('update'),
  ...rollingOptions('rollback'),
  { flags: '--force', description: 'replace the tasks even when nothing else changes' },
  { flags: '--rollback', description: 'restore the previous spec (as service rollback)' },
  ...FOLLOW_OPTIONS,
];

export const SERVICE_ROLLBACK_OPTIONS: OptionSpec[] = FOLLOW_OPTIONS;
