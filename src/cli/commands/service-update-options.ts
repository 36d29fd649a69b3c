/** The options of `berth service update` and `berth service rollback`: Docker's names (service-update-flags.ts reads them). */
import type { OptionSpec } from '../args/command-spec.js';
import { SERVICE_CREATE_OPTIONS } from './service-create-options.js';
import { JOB_UPDATE_OPTIONS } from './service-job-flags.js';
import { AUTOSCALE_UPDATE_OPTIONS } from './service-autoscale-flags.js';
import { CANARY_OPTIONS } from './service-rollout-flags.js';
import { ATTACH_UPDATE_OPTIONS } from './service-attach-flags.js';
import { rollingOptions } from './service-rolling-flags.js';

const HEALTH_OPTIONS = SERVICE_CREATE_OPTIONS.filter((o) => /^--(health-|no-healthcheck)/.test(o.flags));

const FOLLOW_OPTIONS: OptionSpec[] = [
  { flags: '-d, --detach', description: 'do not wait for the tasks to be rolled over' },
  { flags: '--wait', description: 'wait for the update to end even when stderr is no terminal (the default on a terminal); fails when it paused or rolled back' },
];

export const SERVICE_UPDATE_OPTIONS: OptionSpec[] = [
  { flags: '--image <image>', description: 'the tasks\' image' },
  { flags: '--env-add <key=value>', description: 'add or replace an environment variable (KEY alone: from this environment); repeatable', repeat: true },
  { flags: '--env-rm <key>', description: 'remove an environment variable; repeatable', repeat: true },
  { flags: '--publish-add <port>', description: 'publish a port, or change the one on the same published port (as service create -p); repeatable', repeat: true },
  { flags: '--publish-rm <target>', description: 'stop publishing the ports with this target port: TARGET[/tcp|udp]; repeatable', repeat: true },
  { flags: '--replicas <n>', description: 'number of tasks (as service scale); a replicated job\'s completions' },
  ...ATTACH_UPDATE_OPTIONS,
  ...JOB_UPDATE_OPTIONS,
  ...AUTOSCALE_UPDATE_OPTIONS,
  ...CANARY_OPTIONS,
  ...HEALTH_OPTIONS,
  ...rollingOptions('update'),
  ...rollingOptions('rollback'),
  { flags: '--force', description: 'replace the tasks even when nothing else changes (a job: run it again)' },
  { flags: '--rollback', description: 'restore the previous spec (as service rollback)' },
  ...FOLLOW_OPTIONS,
];

export const SERVICE_ROLLBACK_OPTIONS: OptionSpec[] = FOLLOW_OPTIONS;
