/**
 * `GET /berth/v1/audit` (requests with their outcomes; `since` as Unix seconds or RFC 3339,
 * `user`, `object`) and `GET /berth/v1/audit/verify` (the chain checked on disk).
 */
import type { FastifyInstance } from 'fastify';
import { errors } from '../../base/errors.js';
import { queryAuditTrail, verifyAuditTrail, type AuditQuery } from '../../security/audit/index.js';
import { queryString, type Query } from '../query.js';

function sinceOf(value: string | undefined): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const date = /^\d+(\.\d+)?$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) throw errors.invalidArgument('invalid-time', `since ${value}: want Unix seconds or an RFC 3339 time`);
  return date;
}

export function auditRoutes(app: FastifyInstance, dir: string): void {
  app.get('/berth/v1/audit', async (request) => {
    const query = request.query as Query;
    const since = sinceOf(queryString(query, 'since'));
    const user = queryString(query, 'user');
    const object = queryString(query, 'object');
    const filter: AuditQuery = { ...(since === undefined ? {} : { since }), ...(user ? { user } : {}), ...(object ? { object } : {}) };
    return queryAuditTrail(dir, filter);
  });
  app.get('/berth/v1/audit/verify', () => verifyAuditTrail(dir));
}
