import { cpus, hostname, release, totalmem } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { ImageService } from '../../images/image-service.js';
import { hostPlatform } from '../../oci/platform.js';
import type { ContainerEngine } from '../../engine/container-engine.js';
import { API_VERSION, MIN_API_VERSION } from '../api-version.js';
import { BERTH_VERSION } from '../../base/version.js';

const KERNEL_ARCH: Record<string, string> = { amd64: 'x86_64', arm64: 'aarch64' };

/** `/_ping`, `/version`, `/info`. `/info` counts the node's containers and lists its OCI runtimes. */
export function systemRoutes(app: FastifyInstance, images: ImageService, containers: ContainerEngine): void {
  const runtimes = containers.task.runtimes;
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
    return reply.send({
      Platform: { Name: 'berth' },
      Components: [{ Name: 'Engine', Version: BERTH_VERSION, Details: { ApiVersion: API_VERSION, MinAPIVersion: MIN_API_VERSION, Os: platform.os, Arch: platform.architecture, KernelVersion: release() } }],
      ...engine,
    });
  });

  app.get('/info', (_request, reply) => {
    const platform = hostPlatform();
    const statuses = containers.list().map((c) => c.state.status);
    const count = (...wanted: string[]): number => statuses.filter((s) => wanted.includes(s)).length;
    return reply.send({
      ID: images.root.path,
      Name: hostname(),
      ServerVersion: BERTH_VERSION,
      Containers: statuses.length,
      ContainersRunning: count('running', 'restarting'),
      ContainersPaused: count('paused'),
      ContainersStopped: statuses.length - count('running', 'restarting', 'paused'),
      Images: images.list().length,
      Driver: 'overlay',
      DriverStatus: [['Backing Filesystem', 'extfs']],
      DockerRootDir: images.root.path,
      OperatingSystem: 'Linux (berth)',
      OSType: platform.os,
      Architecture: KERNEL_ARCH[platform.architecture] ?? platform.architecture,
      KernelVersion: release(),
      NCPU: cpus().length,
      MemTotal: totalmem(),
      CgroupDriver: 'cgroupfs',
      DefaultRuntime: runtimes.defaultName,
      Runtimes: Object.fromEntries(runtimes.all().map((r) => [r.name, { path: r.binary }])),
      SecurityOptions: ['name=seccomp,profile=builtin', ...(containers.task.userns.defaultMode === 'auto' ? ['name=userns'] : [])],
      LoggingDriver: 'k8s-file',
      Plugins: { Volume: ['local'], Network: [], Authorization: null, Log: ['k8s-file'] },
      RegistryConfig: { IndexConfigs: {}, InsecureRegistryCIDRs: [] },
      Swarm: { LocalNodeState: 'inactive' },
      Labels: [],
      Warnings: [],
    });
  });
}
