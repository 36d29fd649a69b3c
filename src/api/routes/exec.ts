import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { messageOf } from '../../base/errors.js';
import { stdioFrame } from '../../stdio/stdio-frames.js';
import { MULTIPLEXED_STREAM, RAW_STREAM } from '../hijack/upgrade-router.js';
import { withSchemaFieldNames } from '../go-field-names.js';
import type { z } from 'zod';
import type { ContainerEngine } from '../../engine/container-engine.js';
import type { ExecSession } from '../../engine/exec-sessions.js';
import { parseSchema } from '../../oci/parse-json.js';
import { DEFAULT_DETACH_KEYS, parseDetachKeys } from '../../stdio/detach-keys.js';
import { pumpOutput, pumpStdio } from '../hijack/stdio-pump.js';
import type { UpgradeRouter } from '../hijack/upgrade-router.js';
import { queryInt, type Query } from '../query.js';
import { checkExecLimits } from '../input-limits.js';
import { execCreateBodySchema, execStartBodySchema, type ExecCreateResponse, type ExecInspect } from '../../wire/exec.js';

type Request = FastifyRequest<{ Querystring: Query; Params: { id: string }; Body: unknown }>;

type ExecStart = z.infer<typeof execStartBodySchema>;

/** The start body, field names matched as Go matches them (`detach` is `Detach`). */
function parseStart(body: unknown): ExecStart {
  return parseSchema(execStartBodySchema.nullish(), withSchemaFieldNames(body ?? {}, execStartBodySchema), 'exec start') ?? {};
}

/**
 * What dockerd does once the exec's stream is open: a start that fails (a command that does not
 * exist, …) is reported as a line of the stream's output; the exec's exit code says the rest.
 */
function failureLine(err: unknown, tty: boolean): Buffer {
  const line = Buffer.from(`${messageOf(err)}\r\n`);
  return tty ? line : stdioFrame('stdout', line);
}

function inspectView(session: ExecSession): ExecInspect {
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
    // dockerd keeps the parsed key bytes and shows them as Go marshals bytes: base64.
    DetachKeys: session.config.detachKeys === undefined ? '' : parseDetachKeys(session.config.detachKeys).toString('base64'),
    Pid: session.pid,
  };
}

/** `POST /containers/{id}/exec`, `POST /exec/{id}/start` (hijacked or detached), resize, inspect. */
export function execRoutes(app: FastifyInstance, upgrades: UpgradeRouter, engine: ContainerEngine): void {
  app.post('/containers/:id/exec', (request: Request, reply) => {
    const body = parseSchema(execCreateBodySchema, withSchemaFieldNames(request.body ?? {}, execCreateBodySchema), 'exec config');
    checkExecLimits(body);
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
    const created: ExecCreateResponse = { Id: session.id };
    return reply.status(201).send(created);
  });

  // Without a connection upgrade (dockerode, testcontainers): the output is the response body,
  // framed as the start request's Tty says, and the response ends when the process does.
  app.post('/exec/:id/start', async (request: Request, reply) => {
    const start = parseStart(request.body);
    const session = engine.execs.startable(request.params.id);
    if (start.Detach === true) {
      await engine.execs.start(session.id, false, start.ConsoleSize ?? undefined);
      return reply.status(200).send();
    }
    const tty = start.Tty === true;
    const out = new PassThrough();
    void (async () => {
      try {
        const { connection } = await engine.execs.start(session.id, true, start.ConsoleSize ?? undefined);
        if (connection !== undefined) await pumpOutput(connection, out, { tty, stdout: session.config.attachStdout !== false, stderr: session.config.attachStderr !== false });
        await session.exited;
      } catch (err) {
        out.write(failureLine(err, tty));
      } finally {
        out.end();
      }
    })();
    return reply.status(200).header('content-type', tty ? RAW_STREAM : MULTIPLEXED_STREAM).send(out);
  });

  // Hijacked: the 101 answer goes out before the process runs, so no output can precede it on
  // the wire (a client that reads the headers through a buffer would lose what came with them).
  upgrades.post('/exec/:id/start', async ({ params, body, socket, switchProtocols }) => {
    const start = parseStart(body);
    const session = engine.execs.startable(params.id ?? '');
    const tty = start.Tty === true;
    if (start.Detach === true) {
      await engine.execs.start(session.id, false, start.ConsoleSize ?? undefined);
      switchProtocols(tty);
      socket.end();
      return;
    }
    const detachKeys = parseDetachKeys(session.config.detachKeys || DEFAULT_DETACH_KEYS);
    switchProtocols(tty);
    let connection;
    try {
      ({ connection } = await engine.execs.start(session.id, true, start.ConsoleSize ?? undefined));
    } catch (err) {
      socket.end(failureLine(err, tty));
      return;
    }
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
