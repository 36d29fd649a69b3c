import { cpus, hostname, release, totalmem } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { ImageService } from '../../images/image-service.js';
import { hostPlatform } from '../../oci/platform.js';
import type { ContainerEngine } from '../../engine/container-engine.js';
import { API_VERSION, MIN_API_VERSION } from '../api-version.js';
import { BERTH_VERSION } from '../../base/version.js';
import { DEFAULT_INIT } from '../../engine/task-mounts.js';
import { readHostInfo } from '../host-info.js';
import { infoView } from '../info-view.js';
import type { SwarmInfo, SystemVersion } from '../../wire/system.js';

const KERNEL_ARCH: Record<string, string> = { amd64: 'x86_64', arm64: 'aarch64' };

export interface SystemRoutesOptions {
  /** `--insecure-registry` hosts, for `RegistryConfig`. */
  insecureRegistries: readonly string[];
  /** `Swarm` of `/info` (the swarm routes' module says what it is; a manager's reads its cluster). */
  swarmInfo: () => SwarmInfo | Promise<SwarmInfo>;
}

/** `/_ping`, `/version`, `/info`. `/info` counts the node's containers and lists its OCI runtimes. */
export function systemRoutes(app: FastifyInstance, images: ImageService, containers: ContainerEngine, options: SystemRoutesOptions): void {
  const { runtimes, usernsDefault, initPath } = containers.settings;
  const ping = {
    'API-Version': API_VERSION,
    'Docker-Experimental': 'false',
    OSType: 'linux',
    'Cache-Control': 'no-cache, no-store, must-revalidate',
    Pragma: 'no-cache',
  };
  app.get('/_ping', (_request, reply) => reply.headers(ping).type('text/plain; charset=utf-8').send('OK'));

  app.get('/version', (_request, reply) => {
    const platform = hostPlatform();
    const engine = {
      Version: BERTH_VERSION,
      ApiVersion: API_VERSION,
      MinAPIVersion: MIN_API_VERSION,
      GitCommit: '',
      GoVersion: `node${process.versions.node}`,
      Os: platform.os,
      Arch: platform.architecture,
      KernelVersion: release(),
      BuildTime: '',
    };
    const version: SystemVersion = {
      Platform: { Name: 'berth' },
      Components: [{ Name: 'Engine', Version: BERTH_VERSION, Details: { ApiVersion: API_VERSION, MinAPIVersion: MIN_API_VERSION, Os: platform.os, Arch: platform.architecture, KernelVersion: release() } }],
      ...engine,
    };
    return reply.send(version);
  });

  app.get('/info', async (_request, reply) => {
    const platform = hostPlatform();
    const statuses = containers.list().map((c) => c.state.status);
    const count = (...wanted: string[]): number => statuses.filter((s) => wanted.includes(s)).length;
    const cgroups = containers.host.cgroups;
    return reply.send(infoView({
      id: images.root.path,
      name: hostname(),
      serverVersion: BERTH_VERSION,
      containers: { total: statuses.length, running: count('running', 'restarting'), paused: count('paused'), stopped: statuses.length - count('running', 'restarting', 'paused') },
      images: images.list().length,
      rootDir: images.root.path,
      host: await readHostInfo(cgroups, images.root.path),
      cgroupVersion: cgroups.mode === 'v2-unified' ? '2' : '1',
      osType: platform.os,
      architecture: KERNEL_ARCH[platform.architecture] ?? platform.architecture,
      kernelVersion: release(),
      ncpu: cpus().length,
      memTotal: totalmem(),
      defaultRuntime: runtimes.defaultName,
      runtimes: runtimes.all().map((r) => ({ name: r.name, path: r.binary })),
      securityOptions: ['name=seccomp,profile=builtin', ...(usernsDefault === 'auto' ? ['name=userns'] : [])],
      insecureRegistries: options.insecureRegistries,
      swarm: await options.swarmInfo(),
      eventListeners: containers.eventLog.followers,
      initBinary: initPath ?? DEFAULT_INIT,
      loggingDriver: containers.logs.defaults.driver,
      env: process.env,
      now: new Date(),
    }));
  });
}
