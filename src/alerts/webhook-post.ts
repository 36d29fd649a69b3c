/**
 * The HTTP side of a delivery: POST the JSON body with fetch (undici), aborted after the
 * receiver's timeout or when berthd stops; any status outside 2xx is a failure (retried).
 */
import { errors, messageOf } from '../base/errors.js';
import type { WebhookPost } from './outbox-delivery.js';

export const postWebhook: WebhookPost = async (url, body, timeoutMs, signal) => {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'berthd-alerts' },
      body: JSON.stringify(body), signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
  } catch (cause) {
    const reason = cause instanceof Error && cause.cause !== undefined ? messageOf(cause.cause) : messageOf(cause);
    throw errors.unavailable('webhook-unreachable', `${url}: ${reason}`, { cause });
  }
  await response.arrayBuffer().catch(() => undefined); // the body is not read; draining frees the connection
  if (!response.ok) throw errors.unavailable('webhook-refused', `${url}: HTTP ${response.status}`);
};
