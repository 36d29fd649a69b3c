/**
 * The Docker Engine API's registry routes: pull (`POST /images/create?fromImage=`), push
 * (`POST /images/{name}/push`) and `POST /auth`. Credentials arrive per request in
 * `X-Registry-Auth` (base64url JSON); berthd keeps none. Progress is Docker's JSON message stream;
 * an error before the first message is a plain error answer, one after it an `errorDetail` line.
 */
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BerthError, errors, isBerthError, messageOf } from '../../base/errors.js';
import { authConfigSchema, type AuthResponse } from '../../wire/images.js';
import { decodeRegistryAuthHeader, type RegistryCredentials } from '../../wire/registry-auth.js';
import { RegistryClient } from '../../images/distribution/registry-client.js';
import { registryDomain } from '../../wire/registry-domain.js';
import type { ProgressMessage } from '../../images/distribution/transfer-progress.js';
import type { ImageService } from '../../images/image-service.js';
import { parsePlatform } from '../../oci/platform.js';
import { parseReference, repositoryName } from '../../oci/reference.js';
import { queryCompression } from '../compression-query.js';
import { TransferTally } from '../transfer-tally.js';
import { queryString, type Query } from '../query.js';
import { admitPullReference, admitPulledImage, imageNamed } from '../admission-checks.js';
import type { AdmissionGate } from '../../security/admission/index.js';

export interface RegistryRouteOptions {
  /** Registries reachable over plain HTTP besides loopback ones (berthd --insecure-registry). */
  insecureRegistries: readonly string[];
  /** The node's admission policy: a pull is checked before it fetches (and its vulnerabilities once stored). */
  admission?: AdmissionGate;
  /** Told the layer bytes each pull or push moved, when it ends (the node's metrics). */
  onTransferred?: (transfer: 'pull' | 'push', bytes: number) => void;
}

/** `work` with its messages tallied (transfer-tally.ts); the tally reaches `onTransferred` however `work` ends. */
function tallied(transfer: 'pull' | 'push', options: RegistryRouteOptions, work: (say: (message: object) => void) => Promise<void>): (say: (message: object) => void) => Promise<void> {
  const report = options.onTransferred;
  if (report === undefined) return work;
  return async (say) => {
    const tally = new TransferTally(transfer === 'pull' ? 'Downloading' : 'Pushing');
    try {
      await work((message) => { tally.see(message); say(message); });
    } finally {
      report(transfer, tally.bytes);
    }
  };
}

type Request = FastifyRequest<{ Querystring: Query }>;

function credentialsOf(request: FastifyRequest): RegistryCredentials | undefined {
  const header = request.headers['x-registry-auth'];
  return decodeRegistryAuthHeader(Array.isArray(header) ? header[0] : header);
}

/**
 * Runs `work`, streaming what it says as JSON lines. The answer starts with the first message; a
 * failure before it rejects (the error handler answers), a failure after it ends the stream with
 * Docker's `{"errorDetail": {"message": …}, "error": …}`.
 */
export async function streamProgress(reply: FastifyReply, work: (say: (message: object) => void) => Promise<void>): Promise<FastifyReply> {
  const out = new PassThrough();
  let started = false;
  let onStart: () => void = () => undefined;
  const startedSignal = new Promise<void>((resolve) => { onStart = resolve; });
  const say = (message: object): void => {
    out.write(`${JSON.stringify(message)}\n`);
    if (!started) {
      started = true;
      onStart();
    }
  };
  const done = work(say).then(() => { out.end(); }, (err: unknown) => {
    if (!started) throw err;
    const message = messageOf(err);
    out.end(`${JSON.stringify({ errorDetail: { message }, error: message })}\n`);
  });
  await Promise.race([startedSignal, done]);
  return reply.header('content-type', 'application/json').send(out);
}

/**
 * A registry's 401 as dockerd answers it: permission-denied (403). The docker CLI answers a 401
 * from the daemon by asking for a login interactively, or failing with "non TTY device".
 */
function accessDenied(err: unknown, what: string): unknown {
  if (!isBerthError(err, 'unauthenticated')) return err;
  return new BerthError('permission-denied', 'registry-access-denied', `${what} access denied: ${err.message}`, { cause: err });
}

/** `fromImage` + `tag` as Docker's CLI sends them (`tag` may be a digest). */
export function pullReference(fromImage: string, tag: string | undefined): string {
  if (tag === undefined || tag === '') return fromImage;
  return tag.includes(':') ? `${fromImage}@${tag}` : `${fromImage}:${tag}`;
}

/** `POST /images/create?fromImage=…` (pull). */
export async function pullRoute(request: Request, reply: FastifyReply, images: ImageService, options: RegistryRouteOptions): Promise<FastifyReply> {
  const fromImage = queryString(request.query, 'fromImage') ?? '';
  if (fromImage === '') throw errors.invalidArgument('missing-from-image', 'fromImage is required');
  const platformText = queryString(request.query, 'platform');
  const platform = platformText === undefined || platformText === '' ? undefined : parsePlatform(platformText);
  if (platformText !== undefined && platformText !== '' && platform === undefined) {
    throw errors.invalidArgument('invalid-platform', `platform: "${platformText}" is not os/arch[/variant]`);
  }
  const credentials = credentialsOf(request);
  const tag = queryString(request.query, 'tag');
  const reference = pullReference(fromImage, tag);
  // As the API documents it: no tag (and none in fromImage) pulls every tag (`docker pull -a`).
  const allTags = (tag === undefined || tag === '') && !/[:@][^/]*$/.test(fromImage);
  parseReference(reference); // a bad reference is a 400 before anything starts
  const warnings = await admitPullReference(options.admission, reference, credentials); // a refusal is a 403 before anything is fetched
  const before = allTags ? undefined : imageNamed(images, reference);
  return streamProgress(reply, tallied('pull', options, async (say) => {
    for (const warning of warnings) say({ status: `Warning: ${warning}` });
    const pullOptions = {
      insecureRegistries: options.insecureRegistries,
      onProgress: say,
      ...(credentials !== undefined && { credentials }),
      ...(platform !== undefined && { platform }),
    };
    await (allTags ? images.pullAllTags(reference, pullOptions) : images.pull(reference, pullOptions))
      .catch((err: unknown) => { throw accessDenied(err, 'pull'); });
    if (!allTags) for (const warning of await admitPulledImage(options.admission, images, reference, before, credentials)) say({ status: `Warning: ${warning}` });
  }));
}

/**
 * `POST /images/{name}/push?tag=`: one tag, or every local tag of the repository. berth's
 * `compression` / `compression-level` recompress the layers on the way (compression-query.ts).
 */
export async function pushRoute(name: string, request: Request, reply: FastifyReply, images: ImageService, options: RegistryRouteOptions): Promise<FastifyReply> {
  const tag = queryString(request.query, 'tag');
  const repo = repositoryName(parseReference(name));
  const named = tag !== undefined && tag !== '' ? [`${repo}:${tag}`] : images.list().flatMap((i) => i.names).filter((n) => n.startsWith(`${repo}:`)).sort();
  if (named.length === 0) throw errors.notFound('image-not-found', `An image does not exist locally with the tag: ${name}`);
  for (const n of named) images.resolve(n); // 404 before the stream starts
  const compression = queryCompression(request.query); // berth's; 400 before the stream starts
  const credentials = credentialsOf(request);
  return streamProgress(reply, tallied('push', options, async (say: (message: ProgressMessage | object) => void) => {
    for (const n of named) {
      const pushOptions = {
        insecureRegistries: options.insecureRegistries, onProgress: say,
        ...(credentials !== undefined && { credentials }), ...(compression !== undefined && { compression }),
      };
      const pushed = await images.push(n, pushOptions)
        .catch((err: unknown) => { throw accessDenied(err, 'push'); });
      say({ progressDetail: {}, aux: { Tag: parseReference(pushed.name).tag, Digest: pushed.digest, Size: pushed.size } });
    }
  }));
}

/** `POST /auth`: checks credentials against the registry (berthd stores nothing). */
export function authRoutes(app: FastifyInstance, options: RegistryRouteOptions): void {
  app.post('/auth', async (request): Promise<AuthResponse> => {
    const parsed = authConfigSchema.safeParse(request.body ?? {});
    if (!parsed.success) throw errors.invalidArgument('invalid-auth-body', `body: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const { username, password, serveraddress } = parsed.data;
    if (username === undefined || username === '') throw errors.invalidArgument('missing-username', 'body: username is required');
    const client = new RegistryClient(registryDomain(serveraddress ?? ''), { credentials: { username, password: password ?? '' }, insecureRegistries: options.insecureRegistries });
    await client.checkCredentials();
    return { Status: 'Login Succeeded', IdentityToken: '' };
  });
}
