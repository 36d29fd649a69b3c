/**
 * The normalized project: what `up` and the other verbs work from. Every short form is in its long
 * form, host paths are absolute, `env_file`s are read into `environment`, disabled profiles are
 * gone. `config` prints it back as YAML.
 */
import type { DependencyConfig, FileRefConfig, PortConfig, ServiceNetworkConfig, VolumeMountConfig } from './short-syntax.js';

export interface HealthcheckConfig {
  test?: string[] | string;
  interval?: string;
  timeout?: string;
  start_period?: string;
  start_interval?: string;
  retries?: number;
  disable?: boolean;
}

export interface ResourceConfig {
  cpus?: number | string;
  memory?: string | number;
  pids?: number;
}

/** A rolling update's (or rollback's) settings under `deploy:`; durations as written (`10s`). */
export interface UpdateSettings {
  parallelism?: number;
  delay?: string;
  failure_action?: string;
  monitor?: string;
  max_failure_ratio?: number;
  order?: string;
}

/**
 * `deploy:` as the file gives it (only `replicas` and `resources` matter to `up`; the rest is what
 * `stack deploy` makes of a service on a cluster). `labels` is a list or a map.
 */
export interface DeployConfig {
  mode?: string;
  replicas?: number;
  endpoint_mode?: string;
  labels?: Record<string, string | number | boolean | null> | string[];
  resources?: { limits?: ResourceConfig; reservations?: ResourceConfig };
  restart_policy?: { condition?: string; delay?: string; max_attempts?: number; window?: string };
  placement?: { constraints?: string[]; preferences?: { spread?: string }[]; max_replicas_per_node?: number };
  update_config?: UpdateSettings;
  rollback_config?: UpdateSettings;
}

export interface ServiceConfig {
  name: string;
  image?: string;
  build?: { context: string; dockerfile?: string; args?: Record<string, string | null>; target?: string };
  command?: string[] | string;
  entrypoint?: string[] | string;
  environment: Record<string, string>;
  labels: Record<string, string>;
  ports: PortConfig[];
  expose: string[];
  volumes: VolumeMountConfig[];
  tmpfs: string[];
  networks: Record<string, ServiceNetworkConfig>;
  network_mode?: string;
  depends_on: Record<string, DependencyConfig>;
  healthcheck?: HealthcheckConfig;
  restart?: string;
  /** missing (default), always, never, build. */
  pull_policy?: string;
  deploy?: DeployConfig;
  scale?: number;
  profiles: string[];
  secrets: FileRefConfig[];
  configs: FileRefConfig[];
  container_name?: string;
  working_dir?: string;
  user?: string;
  hostname?: string;
  stop_signal?: string;
  stop_grace_period?: string;
  tty?: boolean;
  stdin_open?: boolean;
  privileged?: boolean;
  read_only?: boolean;
  init?: boolean;
  cap_add: string[];
  cap_drop: string[];
  dns: string[];
  extra_hosts: string[];
  sysctls: Record<string, string>;
  mem_limit?: string | number;
  cpus?: number | string;
  pids_limit?: number;
  shm_size?: string | number;
}

export interface NetworkConfig {
  /** The name on berthd: `<project>_<key>` unless `name:` or `external`. */
  name: string;
  external: boolean;
  internal: boolean;
  driver?: string;
  driver_opts: Record<string, string>;
  labels: Record<string, string>;
  ipam?: { driver?: string; config?: { subnet?: string; gateway?: string; ip_range?: string }[] };
  enable_ipv6?: boolean;
  attachable?: boolean;
}

export interface VolumeConfig {
  name: string;
  external: boolean;
  driver?: string;
  driver_opts: Record<string, string>;
  labels: Record<string, string>;
}

export interface FileObjectConfig {
  name: string;
  /** Absolute path of the file (secrets and configs from files); `content`/`environment` are read into `content`. */
  file?: string;
  content?: string;
  external: boolean;
  /** The file's `labels:`, when it gives them. */
  labels?: Record<string, string>;
}

export interface ComposeProject {
  name: string;
  workingDir: string;
  configFiles: string[];
  /** Enabled services, sorted by name. */
  services: ServiceConfig[];
  /** Services left out by their profiles (known, so `run` can name them). */
  disabledServices: string[];
  networks: Record<string, NetworkConfig>;
  volumes: Record<string, VolumeConfig>;
  secrets: Record<string, FileObjectConfig>;
  configs: Record<string, FileObjectConfig>;
  /** The variables the file was interpolated with (.env under the process's). */
  environment: Record<string, string>;
}

/** The replicas of a service: `scale`, else `deploy.replicas`, else 1. */
export function replicasOf(service: ServiceConfig): number {
  return service.scale ?? service.deploy?.replicas ?? 1;
}
