// Shared setup of the build tests: an engine fixture (temp state root with busybox), a Builder
// on it, a temp directory per context, and helpers to run an image and read what a build left.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Builder, type BuildEvent, type BuildRequest, type BuildResult, type BuilderServices } from '../../../src/build/builder.js';
import { BuildContext } from '../../../src/build/context/build-context.js';
import { readLog } from '../../../src/runtime/log-reader.js';
import { EngineFixture } from '../engine/engine-fixture.js';

export { skipReason, eventually } from '../engine/engine-fixture.js';

/** What a builder on the fixture's node is given (as berthd gives it). */
export function builderServices(f: EngineFixture): BuilderServices {
  return { images: f.images, engine: f.engine, runner: f.services.runner, networks: f.services.networks };
}

export class BuildFixture {
  private readonly dirs: string[] = [];
  /** Containers started since the fixture opened (from the engine's events). */
  readonly started: string[] = [];

  private constructor(readonly engineFixture: EngineFixture, readonly builder: Builder) {
    engineFixture.engine.events.on('start', (id) => { this.started.push(id); });
  }

  static async create(): Promise<BuildFixture> {
    const f = await EngineFixture.create();
    return new BuildFixture(f, await Builder.open(builderServices(f)));
  }

  get images() { return this.engineFixture.images; }
  get engine() { return this.engineFixture.engine; }

  /** A context directory with these files (path → content). */
  async context(files: Record<string, string | Buffer>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'berth-build-ctx-'));
    this.dirs.push(dir);
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    }
    return dir;
  }

  async build(dir: string, request: Omit<BuildRequest, 'context'> = {}): Promise<BuildResult & { log: string[] }> {
    const context = await BuildContext.fromDirectory(dir);
    const log: string[] = [];
    try {
      const result = await this.builder.build({ ...request, context, onEvent: (e: BuildEvent) => { log.push(e.text); request.onEvent?.(e); } });
      return { ...result, log };
    } finally {
      await context.close();
    }
  }

  /** Runs a container of `image` to completion; stdout. */
  async run(image: string, cmd: string[] | undefined, options: { user?: string; entrypoint?: string[] } = {}): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const record = await this.engine.create({ image, options: { ...(cmd !== undefined && { cmd }), ...options } });
    const exited = this.engine.wait(record.id, 'next-exit');
    await this.engine.start(record.id);
    const { exitCode } = await exited;
    const entries = await readLog(this.engine.paths.log(record.id));
    await this.engine.remove(record.id, { force: true });
    const text = (stream: string): string => entries.filter((e) => e.stream === stream).map((e) => `${e.line}\n`).join('');
    return { exitCode, stdout: text('stdout'), stderr: text('stderr') };
  }

  async cleanup(): Promise<void> {
    try {
      await this.engineFixture.cleanup();
    } finally {
      for (const dir of this.dirs) await rm(dir, { recursive: true, force: true });
    }
  }
}
