/** The options of `berth service create`: Docker's names (service-flags.ts reads them), and `--timeout`. */
import type { OptionSpec } from '../args/command-spec.js';
import { LIFECYCLE_OPTIONS } from './lifecycle-flags.js';
import { JOB_CREATE_OPTIONS } from './service-job-flags.js';
import { AUTOSCALE_OPTIONS } from './service-autoscale-flags.js';
import { CANARY_OPTIONS } from './service-rollout-flags.js';
import { rollingOptions } from './service-rolling-flags.js';

/** The health-check flags a service takes (those of `run` but --restart, --health-start-interval and --health-on-failure). */
const SERVICE_HEALTH_OPTIONS = LIFECYCLE_OPTIONS.filter((o) => /^--(health-(cmd|interval|timeout|retries|start-period)|no-healthcheck) /.test(`${o.flags} `));

export const SERVICE_CREATE_OPTIONS: OptionSpec[] = [
  { flags: '--name <name>', description: 'service name (default: one is made up)' },
  { flags: '--mode <mode>', description: 'replicated (default), global (one task per eligible node), replicated-job or global-job (tasks run to completion)' },
  { flags: '--replicas <n>', description: 'number of tasks of a replicated service (default 1); a replicated job\'s completions' },
  ...JOB_CREATE_OPTIONS,
  ...AUTOSCALE_OPTIONS,
  ...CANARY_OPTIONS,
  { flags: '--constraint <expr>', description: 'placement constraint such as node.role==manager, node.labels.zone!=b, node.hostname==n1; repeatable', repeat: true },
  { flags: '--placement-pref <pref>', description: 'spread=ATTRIBUTE: spread tasks evenly over the values of a node attribute (spread=node.labels.zone); repeatable', repeat: true },
  { flags: '--replicas-max-per-node <n>', description: 'at most this many tasks on one node (0: no limit)' },
  { flags: '--reserve-cpu <cpus>', description: 'CPUs reserved for each task on its node (e.g. 0.5)' },
  { flags: '--reserve-memory <bytes>', description: 'memory reserved for each task on its node (e.g. 256m)' },
  { flags: '--limit-cpu <cpus>', description: 'CPU limit of each task (e.g. 1.5)' },
  { flags: '--limit-memory <bytes>', description: 'memory limit of each task (e.g. 512m)' },
  { flags: '--limit-pids <n>', description: 'process limit of each task (0: no limit)' },
  { flags: '--restart-condition <condition>', description: 'when a task is replaced: none, on-failure or any (default any)' },
  { flags: '--restart-delay <duration>', description: 'wait between restarts (e.g. 5s)' },
  { flags: '--restart-max-attempts <n>', description: 'give up after this many restarts (0: never)' },
  { flags: '--restart-window <duration>', description: 'the window in which restarts are counted (e.g. 2m)' },
  { flags: '-e, --env <key=value>', description: 'set an environment variable (KEY alone: from this environment); repeatable', repeat: true },
  { flags: '-l, --label <key=value>', description: 'service label; repeatable', repeat: true },
  { flags: '--container-label <key=value>', description: 'label of each task\'s container; repeatable', repeat: true },
  { flags: '--network <network>', description: 'a cluster network to join: NAME, or name=NAME[,alias=ALIAS…]; repeatable (the first is the gateway network)', repeat: true },
  { flags: '--endpoint-mode <mode>', description: 'vip (default: one virtual IP balanced over the tasks) or dnsrr (DNS answers the tasks\' addresses)' },
  { flags: '-p, --publish <port>', description: 'publish a port on every node (routing mesh): PUBLISHED:TARGET[/udp], TARGET (a port from 30000 is picked), or published=…,target=…[,protocol=udp][,mode=host]; repeatable', repeat: true },
  { flags: '--mount <mount>', description: 'type=bind|volume|tmpfs,source=…,target=…[,readonly]; repeatable', repeat: true },
  { flags: '--secret <secret>', description: 'give each task a secret as a file: NAME, or source=NAME[,target=FILE][,uid=N][,gid=N][,mode=0400] (at /run/secrets/FILE); repeatable', repeat: true },
  { flags: '--config <config>', description: 'give each task a config as a file: NAME, or source=NAME[,target=PATH][,uid=N][,gid=N][,mode=0444] (default /NAME); repeatable', repeat: true },
  ...SERVICE_HEALTH_OPTIONS,
  ...rollingOptions('update'),
  ...rollingOptions('rollback'),
  { flags: '-d, --detach', description: 'do not wait for the tasks to run (a job: for its run to end)' },
  { flags: '--timeout <duration>', description: 'without --detach: give up waiting after this long (default: wait while the tasks make progress; see docs/cluster.md)' },
];
