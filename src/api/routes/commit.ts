import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ContainerEngine } from '../../engine/container-engine.js';
import { formatReference, parseTaggedReference } from '../../oci/reference.js';
import type { CommitResponse } from '../../wire/images.js';
import { queryBool, queryList, queryString, type Query } from '../query.js';

type Request = FastifyRequest<{ Querystring: Query }>;

/** `repo` + `tag` as Docker's commit and import take them; none when repo is empty. */
export function namesFromRepoTag(repo: string | undefined, tag: string | undefined): string[] {
  if (repo === undefined || repo === '') return [];
  const hasTag = tag !== undefined && tag !== '';
  const text = hasTag ? `${repo}:${tag}` : repo;
  return [formatReference(parseTaggedReference(text))];
}

/** `POST /commit`: a container's changes become a new image (201 `{"Id": …}`). */
export function commitRoutes(app: FastifyInstance, engine: ContainerEngine): void {
  app.post('/commit', async (request: Request, reply) => {
    const query = request.query;
    const container = queryString(query, 'container') ?? '';
    // Docker splits each `changes` value on newlines too (the CLI sends one per --change).
    const changes = queryList(query, 'changes').flatMap((c) => c.split('\n')).filter((c) => c.trim() !== '');
    const comment = queryString(query, 'comment');
    const author = queryString(query, 'author');
    const image = await engine.commit(container, {
      names: namesFromRepoTag(queryString(query, 'repo'), queryString(query, 'tag')),
      changes,
      ...(comment !== undefined && { comment }),
      ...(author !== undefined && { author }),
      pause: queryString(query, 'pause') === undefined ? true : queryBool(query, 'pause'),
    });
    const answer: CommitResponse = { Id: image.id };
    return reply.status(201).send(answer);
  });
}
