/**
 * The docker-like flags of `run` and `create`. Values are kept as typed; create-config.ts turns
 * them into the API's create body (and is where they are checked).
 */
import type { OptionSpec } from '../args/command-spec.js';
import { LIFECYCLE_OPTIONS, type LifecycleFlags } from './lifecycle-flags.js';

/** The parsed flags of `run` / `create` (camelCased long names). */
/** The resource limits of `run`/`create`, which `update` also changes. */
export interface ResourceFlags {
  memory?: string;
  memorySwap?: string;
  memoryReservation?: string;
  cpus?: string;
  cpuShares?: string;
  cpuPeriod?: string;
  cpuQuota?: string;
  cpusetCpus?: string;
  cpusetMems?: string;
  pidsLimit?: string;
}

export interface CreateFlags extends ResourceFlags, LifecycleFlags {
  detach?: boolean;
  interactive?: boolean;
  tty?: boolean;
  rm?: boolean;
  name?: string;
  env: string[];
  workdir?: string;
  user?: string;
  entrypoint?: string;
  hostname?: string;
  domainname?: string;
  network?: string;
  publish: string[];
  publishAll?: boolean;
  dns: string[];
  dnsSearch: string[];
  addHost: string[];
  networkAlias: string[];
  ip?: string;
  macAddress?: string;
  expose: string[];
  ulimit: string[];
  readOnly?: boolean;
  privileged?: boolean;
  capAdd: string[];
  capDrop: string[];
  securityOpt: string[];
  label: string[];
  stopSignal?: string;
  stopTimeout?: string;
  logDriver?: string;
  logOpt: string[];
  shmSize?: string;
  tmpfs: string[];
  sysctl: string[];
  oomScoreAdj?: string;
  ipc?: string;
  pid?: string;
  uts?: string;
  cgroupns?: string;
  userns?: string;
  pull?: string;
  detachKeys?: string;
  sigProxy?: boolean;
  volume: string[];
  mount: string[];
  init?: boolean;
  runtime?: string;
}

const repeat = (flags: string, description: string): OptionSpec => ({ flags, description, repeat: true });

/** Only `run` has these. */
export const RUN_ONLY_OPTIONS: OptionSpec[] = [
  { flags: '-d, --detach', description: 'run in the background and print the container ID' },
  { flags: '--sig-proxy [bool]', description: 'forward signals received by the CLI to the container (not with -t); default true, --sig-proxy=false to turn off' },
  { flags: '--detach-keys <keys>', description: 'key sequence to detach (default ctrl-p,ctrl-q)' },
];

/** `run` and `create` (`-h` is Docker's `--hostname` here: help is `--help` only). */
/** The options of ResourceFlags (run, create, update). */
export const RESOURCE_OPTIONS: OptionSpec[] = [
  { flags: '-m, --memory <bytes>', description: 'memory limit (512m, 1g)' },
  { flags: '--memory-swap <bytes>', description: 'memory plus swap limit (-1: unlimited swap)' },
  { flags: '--memory-reservation <bytes>', description: 'memory soft limit' },
  { flags: '--cpus <number>', description: 'number of CPUs (1.5)' },
  { flags: '-c, --cpu-shares <weight>', description: 'CPU shares (relative weight)' },
  { flags: '--cpu-period <us>', description: 'CFS period in microseconds' },
  { flags: '--cpu-quota <us>', description: 'CFS quota in microseconds' },
  { flags: '--cpuset-cpus <list>', description: 'CPUs the container may use (0-3, 0,1)' },
  { flags: '--cpuset-mems <list>', description: 'memory nodes the container may use' },
  { flags: '--pids-limit <n>', description: 'process limit (-1: unlimited)' },
];

export const CREATE_OPTIONS: OptionSpec[] = [
  { flags: '-i, --interactive', description: 'keep STDIN open and attach it' },
  { flags: '-t, --tty', description: 'allocate a pseudo-TTY' },
  { flags: '--rm', description: 'remove the container when it exits' },
  { flags: '--name <name>', description: 'container name' },
  repeat('-e, --env <KEY=VALUE>', 'set an environment variable (KEY alone: take it from this environment); repeatable'),
  { flags: '-w, --workdir <dir>', description: 'working directory inside the container' },
  { flags: '-u, --user <user[:group]>', description: 'user name or uid (and group)' },
  { flags: '--entrypoint <command>', description: 'override the image entrypoint ("" clears it)' },
  { flags: '-h, --hostname <name>', description: 'container host name' },
  { flags: '--domainname <name>', description: 'container NIS domain name' },
  { flags: '--network <mode>', description: 'network: bridge (default), a network name, container:<name|id>, none or host' },
  repeat('--network-alias <name>', 'another name of the container on its network; repeatable'),
  repeat('-p, --publish <[ip:][hostPort:]port[/proto]>', 'publish a container port on the host, e.g. 127.0.0.1:8080:80; repeatable'),
  { flags: '-P, --publish-all', description: 'publish every exposed port (the image\'s and --expose) on a free host port' },
  repeat('--expose <port[/proto]>', 'expose a port or range (80, 53/udp, 9000-9001) without publishing it; -P publishes it; repeatable'),
  { flags: '--ip <address>', description: 'IPv4 address on the network (only on a network created with --subnet)' },
  { flags: '--mac-address <mac>', description: 'MAC address of the container\'s interface on its network (02:42:ac:11:00:02)' },
  repeat('--dns <ip>', 'DNS server for the container (default: berth\'s DNS on the network gateway); repeatable'),
  repeat('--dns-search <domain>', 'DNS search domain; repeatable'),
  repeat('--add-host <name:ip>', 'add a line to /etc/hosts (ip may be host-gateway); repeatable'),
  ...RESOURCE_OPTIONS,
  repeat('--ulimit <name=soft[:hard]>', 'resource limit, e.g. nofile=1024:2048; repeatable'),
  { flags: '--read-only', description: 'mount the root filesystem read-only' },
  { flags: '--privileged', description: 'give the container all capabilities and devices' },
  repeat('--cap-add <cap>', 'add a capability; repeatable'),
  repeat('--cap-drop <cap>', 'drop a capability; repeatable'),
  repeat('--security-opt <opt>', 'security option (seccomp=unconfined, no-new-privileges); repeatable'),
  repeat('-l, --label <key=value>', 'set a label; repeatable'),
  { flags: '--stop-signal <signal>', description: 'signal that stops the container (default SIGTERM)' },
  { flags: '--stop-timeout <seconds>', description: 'seconds to wait before killing at stop' },
  { flags: '--log-driver <driver>', description: "log driver: json-file, local, none or k8s-file (default: the daemon's)" },
  repeat('--log-opt <key=value>', 'log option, e.g. max-size=10m; repeatable'),
  { flags: '--shm-size <bytes>', description: 'size of /dev/shm' },
  repeat('--tmpfs <path[:options]>', 'mount a tmpfs, e.g. /run:rw,size=64m; repeatable'),
  repeat('--sysctl <key=value>', 'namespaced kernel parameter; repeatable'),
  { flags: '--oom-score-adj <n>', description: 'OOM score adjustment (-1000 to 1000)' },
  { flags: '--ipc <mode>', description: 'IPC namespace: private or host' },
  { flags: '--pid <mode>', description: 'PID namespace: private or host' },
  { flags: '--uts <mode>', description: 'UTS namespace: private or host' },
  { flags: '--cgroupns <mode>', description: 'cgroup namespace: private or host' },
  { flags: '--userns <mode>', description: 'user namespace: auto (own, root mapped to an unused host id range) or host' },
  { flags: '--pull <policy>', description: 'missing or never (berth does not pull from registries yet)' },
  repeat('-v, --volume <[source:]path[:opts]>', 'volume (name:/path), bind mount (/host:/path[:ro,rshared]) or anonymous volume (/path); repeatable'),
  repeat('--mount <type=…,source=…,target=…>', 'mount: type=volume|bind|tmpfs, source, target, readonly, volume-opt, volume-nocopy, bind-propagation, tmpfs-size, tmpfs-mode; repeatable'),
  { flags: '--init', description: 'run an init (tini) as PID 1: forwards signals, reaps zombies' },
  { flags: '--runtime <name>', description: 'OCI runtime: runc or crun (default: berthd\'s --default-runtime)' },
  ...LIFECYCLE_OPTIONS,
];
