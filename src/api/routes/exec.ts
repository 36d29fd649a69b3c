import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ContainerEngine } from '../../engine/container-engine.js';
import type { ExecSession } from '../../engine/exec-sessions.js';
import { parseSchema } from '../../oci/parse-json.js';
import { DEFAULT_DETACH_KEYS, parseDetachKeys } from '../../stdio/detach-keys.js';
import { pumpStdio } from '../hijack/stdio-pump.js';
import type { UpgradeRouter } from '../hijack/upgrade-router.js';
import { queryInt, type Query } from '../query.js';

type Request = FastifyRequest<{ Querystring: Query; Params: { id: string }; Body: unknown }>;

const execCreateSchema = z.object({
  Cmd: z.array(z.string()).min(1, 'No exec command specified'),
  Env: z.array(z.string()).nullish(),
  User: z.string().nullish(),
  WorkingDir: z.string().nullish(),
  Tty: z.boolean().nullish(),
  AttachStdin: z.boolean().nullish(),
  AttachStdout: z.boolean().nullish(),
  AttachStderr: z.boolean().nullish(),
  Privileged: z.boolean().nullish(),
  DetachKeys: z.string().nullish(),
});

const execStartSchema = z.object({
  Detach: z.boolean().nullish(),
  Tty: z.boolean().nullish(),
  ConsoleSize: z.tuple([z.number().int(), z.number().int()]).nullish(),
}).nullish();

function inspectView(session: ExecSession): Record<string, unknown> {
  const [entrypoint = '', ...args] = session.config.cmd;
  return {
    ID: session.id,
    Running: session.running,
    ExitCode: session.exitCode,
    ProcessConfig: { tty: session.config.tty ?? false, entrypoint, arguments: args, privileged: session.config.privileged ?? false, user: session.config.user ?? '' },
    OpenStdin: session.config.attachStdin ?? false,
    OpenStderr: session.config.attachStderr ?? false,
    OpenStdout: session.config.attachStdout ?? false,
    CanRemove: false,
    ContainerID: session.containerId,
    DetachKeys: session.config.detachKeys ?? '',
    Pid: session.pid,
  };
}

/** `POST /containers/{id}/exec`, `POST /exec/{id}/start` (hijacked or detached), resize, inspect. */
export function execRoutes(app: FastifyInstance, upgrades: UpgradeRouter, engine: ContainerEngine): void {
  app.post('/containers/:id/exec', (request: Request, reply) => {
    const body = parseSchema(execCreateSchema, request.body ?? {}, 'exec config');
    if (body.DetachKeys) parseDetachKeys(body.DetachKeys);
    const session = engine.execs.create(request.params.id, {
      cmd: body.Cmd,
      ...(body.Env ? { env: body.Env } : {}),
      ...(body.User ? { user: body.User } : {}),
      ...(body.WorkingDir ? { workingDir: body.WorkingDir } : {}),
      tty: body.Tty ?? false,
      attachStdin: body.AttachStdin ?? false,
      attachStdout: body.AttachStdout ?? false,
      attachStderr: body.AttachStderr ?? false,
      privileged: body.Privileged ?? false,
      ...(body.DetachKeys ? { detachKeys: body.DetachKeys } : {}),
    });
    return reply.status(201).send({ Id: session.id });
  });

  app.post('/exec/:id/start', async (request: Request, reply) => {
    const body = parseSchema(execStartSchema, request.body ?? {}, 'exec start');
    const { session } = await engine.execs.start(request.params.id, false);
    if (body?.Detach !== true) await session.exited;
    return reply.status(200).send();
  });

  upgrades.post('/exec/:id/start', async ({ params, body, socket, switchProtocols }) => {
    const start = parseSchema(execStartSchema, body ?? {}, 'exec start');
    const session = engine.execs.get(params.id ?? '');
    const tty = session.config.tty === true;
    const detachKeys = parseDetachKeys(session.config.detachKeys || DEFAULT_DETACH_KEYS);
    const { connection } = await engine.execs.start(session.id, start?.Detach !== true, start?.ConsoleSize ?? undefined);
    switchProtocols(tty);
    if (connection !== undefined) {
      const end = await pumpStdio(connection, socket, {
        tty, stdin: session.config.attachStdin === true, stdout: session.config.attachStdout !== false, stderr: session.config.attachStderr !== false, detachKeys,
      });
      // Clients read the exit code right after the stream ends: have it recorded first.
      if (end === 'output-closed') await session.exited;
    }
    socket.end();
  });

  app.post('/exec/:id/resize', async (request: Request, reply) => {
    await engine.execs.resize(request.params.id, queryInt(request.query, 'h') ?? 0, queryInt(request.query, 'w') ?? 0);
    return reply.status(200).send();
  });

  app.get('/exec/:id/json', (request: Request, reply) => reply.send(inspectView(engine.execs.get(request.params.id))));
}
