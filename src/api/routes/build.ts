/**
 * `POST /build` as Docker's classic builder answers it: the body is the context (a tar, plain or
 * compressed), the answer a stream of JSON messages — `{"stream": "Step 1/5 : FROM busybox\n"}`,
 * the steps' output, `{"aux": {"ID": "sha256:…"}}`, and `{"errorDetail": …, "error": …}` when the
 * build fails (after the 200 has gone out, as in Docker). `POST /build/prune` empties the cache.
 * Secrets for `RUN --mount=type=secret` come in the `X-Berth-Build-Secrets` header (berth's CLI
 * sends it; the docker CLI's classic builder has no way to).
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errors, isBerthError, messageOf } from '../../base/errors.js';
import { ChildProcessRunner } from '../../base/process-runner.js';
import type { Builder, BuildEvent } from '../../build/builder.js';
import { BuildContext } from '../../build/context/build-context.js';
import type { BuildNetwork } from '../../build/steps/step-types.js';
import type { ImageService } from '../../images/image-service.js';
import { parseSchema } from '../../oci/parse-json.js';
import { familiarName } from '../../oci/reference.js';
import { queryBool, queryList, queryString, type Query } from '../query.js';

type Request = FastifyRequest<{ Querystring: Query }>;

const stringMapSchema = z.record(z.string(), z.string().nullable());

function jsonMapParam(query: Query, name: string): Record<string, string> {
  const text = queryString(query, name);
  if (text === undefined || text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw errors.invalidArgument('invalid-query', `${name}: not valid JSON`, { cause });
  }
  const map = parseSchema(stringMapSchema, value, name);
  // Docker sends `null` for a --build-arg given without a value that the environment does not set.
  return Object.fromEntries(Object.entries(map).filter((entry): entry is [string, string] => entry[1] !== null));
}

const secretsSchema = z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, 'a secret id is letters, digits, _ . and -'), z.base64());

/**
 * The build's secrets (a berth extension; Docker's classic API has none): the `X-Berth-Build-Secrets`
 * header holds base64 of the JSON object `{"<id>": "<base64 of the value>", …}`. Held in memory only.
 */
export const BUILD_SECRETS_HEADER = 'x-berth-build-secrets';

function secretsHeader(request: Request): Map<string, Buffer> {
  const header = request.headers[BUILD_SECRETS_HEADER];
  if (typeof header !== 'string' || header === '') return new Map();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
  } catch (cause) {
    throw errors.invalidArgument('invalid-header', `${BUILD_SECRETS_HEADER}: not base64 of a JSON object`, { cause });
  }
  const map = parseSchema(secretsSchema, value, BUILD_SECRETS_HEADER);
  return new Map(Object.entries(map).map(([id, data]) => [id, Buffer.from(data, 'base64')]));
}

function write(reply: FastifyReply, message: object): void {
  reply.raw.write(`${JSON.stringify(message)}\n`);
}

/** `networkmode`: default/bridge (the default network), none or host; other networks are not offered. */
function buildNetwork(mode: string | undefined): BuildNetwork {
  if (mode === undefined || mode === '' || mode === 'default' || mode === 'bridge') return 'bridge';
  if (mode === 'none' || mode === 'host') return mode;
  throw errors.invalidArgument('invalid-build-network', `networkmode: "${mode}" is not a build network (default, bridge, none or host)`);
}

export function buildRoutes(app: FastifyInstance, images: ImageService, builder: Builder): void {
  app.post('/build', async (request: Request, reply) => {
    const query = request.query;
    if (queryString(query, 'remote') !== undefined) throw errors.invalidArgument('remote-context-unsupported', 'remote build contexts are not supported: send the context as the request body');
    const tags = queryList(query, 't').filter((t) => t !== '');
    const buildArgs = jsonMapParam(query, 'buildargs');
    const labels = jsonMapParam(query, 'labels');
    const quiet = queryBool(query, 'q');
    const target = queryString(query, 'target');
    const dockerfile = queryString(query, 'dockerfile');
    const network = buildNetwork(queryString(query, 'networkmode'));
    const secrets = secretsHeader(request);
    const body = request.body;
    if (!(body instanceof Readable)) throw errors.invalidArgument('no-build-context', 'the build context (a tar) is the request body');
    void reply.hijack();
    reply.raw.writeHead(200, { 'Content-Type': 'application/json' });
    const onEvent = (event: BuildEvent): void => {
      if (quiet && event.kind !== 'warning') return;
      write(reply, { stream: `${event.text}\n` });
    };
    // As Docker: a client that goes away (ctrl-c on `docker build`) cancels the build.
    const aborter = new AbortController();
    let finished = false;
    reply.raw.on('close', () => { if (!finished) aborter.abort(); });
    let context: BuildContext | undefined;
    try {
      context = await BuildContext.fromTar(body, images.root.tmp, new ChildProcessRunner());
      const result = await builder.build({
        context, tags, buildArgs, labels, onEvent, signal: aborter.signal,
        ...(dockerfile !== undefined && dockerfile !== '' && { dockerfile }),
        ...(target !== undefined && target !== '' && { target }),
        noCache: queryBool(query, 'nocache'),
        network,
        secrets,
      });
      write(reply, { aux: { ID: result.image.id } });
      if (quiet) write(reply, { stream: `${result.image.id}\n` });
      else {
        write(reply, { stream: `Successfully built ${result.image.id.slice(7, 19)}\n` });
        for (const name of result.image.names.filter((n) => tags.some((t) => familiarName(n) === t || familiarName(n) === `${t}:latest` || n === t))) {
          write(reply, { stream: `Successfully tagged ${familiarName(name)}\n` });
        }
      }
    } catch (err) {
      const message = messageOf(err);
      const exitCode = isBerthError(err) ? err.details.exitCode : undefined;
      const code = typeof exitCode === 'number' ? exitCode : 1;
      write(reply, { errorDetail: { code, message }, error: message });
    } finally {
      finished = true;
      await context?.close();
      reply.raw.end();
    }
  });

  app.post('/build/prune', async () => {
    const { entries, spaceReclaimed } = await builder.prune();
    return { CachesDeleted: entries > 0 ? [`${entries} entries`] : null, SpaceReclaimed: spaceReclaimed };
  });
}
