/** `system info` (`berth info`): berthd's `/info` as `docker info` prints its server part, or JSON. */
import type { GlobalOptions } from '../args/command-spec.js';
import { outputFormat, printJson, withClient } from '../context.js';
import { humanSize } from '../format.js';

const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

export async function systemInfoAction(globals: GlobalOptions, format: string | undefined): Promise<void> {
  const json = outputFormat(format) === 'json';
  await withClient(globals, async (client) => {
    const info = await client.info();
    if (json) {
      printJson(info);
      return;
    }
    const runtimes = Object.keys(info.Runtimes);
    const security = info.SecurityOptions;
    const lines = [
      `Server Version: ${text(info.ServerVersion)}`,
      `Containers: ${text(info.Containers)}`,
      ` Running: ${text(info.ContainersRunning)}`,
      ` Paused: ${text(info.ContainersPaused)}`,
      ` Stopped: ${text(info.ContainersStopped)}`,
      `Images: ${text(info.Images)}`,
      `Storage Driver: ${text(info.Driver)}`,
      `Logging Driver: ${text(info.LoggingDriver)}`,
      `Cgroup Driver: ${text(info.CgroupDriver)}`,
      `Runtimes: ${runtimes.join(' ')}`,
      `Default Runtime: ${text(info.DefaultRuntime)}`,
      `Security Options: ${security.join(' ')}`,
      `Kernel Version: ${text(info.KernelVersion)}`,
      `Operating System: ${text(info.OperatingSystem)}`,
      `Architecture: ${text(info.Architecture)}`,
      `CPUs: ${text(info.NCPU)}`,
      `Total Memory: ${humanSize(info.MemTotal)}`,
      `Name: ${text(info.Name)}`,
      `Root Dir: ${text(info.DockerRootDir)}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}
