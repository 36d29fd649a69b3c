/**
 * `GET /berth/v1/alerts`: the alerts berthd's rules raised (`berthd --alert-rules`): pending,
 * firing, and resolved ones not yet notified, each with its notification's delivery. Without
 * alert rules: failed-precondition (`alerts-off`).
 */
import type { FastifyInstance } from 'fastify';
import { errors } from '../../base/errors.js';
import type { AlertListing } from '../../alerts/index.js';
import type { AlertView } from '../../wire/alerts.js';

export function alertRoutes(app: FastifyInstance, alerts: AlertListing | undefined): void {
  app.get('/berth/v1/alerts', (): AlertView[] => {
    if (alerts === undefined) throw errors.failedPrecondition('alerts-off', 'berthd runs without alert rules (berthd --alert-rules FILE)');
    return alerts.list();
  });
}
