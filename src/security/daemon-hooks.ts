import type { CriticalFindingsHook, WatchedImage } from './scan-service.js';

/** What berthd needs of a container record to watch its image. */
interface ContainerLike { id: string; imageId: string; state: { status: string } }

/** The images of running (or paused) containers, each with the containers that use it. */
export function watchedImagesOf(containers: readonly ContainerLike[]): WatchedImage[] {
  const byImage = new Map<string, string[]>();
  for (const c of containers) {
    if (c.state.status !== 'running' && c.state.status !== 'paused') continue;
    byImage.set(c.imageId, [...(byImage.get(c.imageId) ?? []), c.id]);
  }
  return [...byImage].map(([imageId, containerIds]) => ({ imageId, containerIds }));
}

/** berthd's default hook until an event stream takes it: one log line per image. */
export const logCriticalFindings: CriticalFindingsHook = (event) => {
  process.stderr.write(`berthd: image ${event.imageId.slice(7, 19)} (containers ${event.containerIds.map((id) => id.slice(0, 12)).join(', ')}) has new critical findings: ${event.findings.map((f) => `${f.id} in ${f.package.name} ${f.package.version}`).join('; ')}\n`);
};
