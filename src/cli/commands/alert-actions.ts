/** The `alert` verbs, through berthd's `/berth/v1/alerts`. */
import type { AlertView } from '../../wire/alerts.js';
import type { GlobalOptions } from '../args/command-spec.js';
import { outputFormat, printJson, withClient } from '../context.js';
import { renderTable } from '../format.js';

/** The labels an alert has beyond its rule and severity: `name=web image=busybox`. */
function otherLabels(alert: AlertView): string {
  return Object.entries(alert.Labels).filter(([k]) => k !== 'alertname' && k !== 'severity' && k !== 'container_id').map(([k, v]) => `${k}=${v}`).join(' ');
}

function deliveryText(alert: AlertView): string {
  const { Delivery: d } = alert;
  if (d.State !== 'retrying') return `${d.State} (${d.Receiver})`;
  return `retrying (${d.Receiver}, ${d.Attempts} failed${d.LastError === undefined ? '' : `: ${d.LastError}`})`;
}

export async function listAlertsAction(globals: GlobalOptions, format: string | undefined): Promise<void> {
  const output = outputFormat(format);
  await withClient(globals, async (client) => {
    const { AlertClient } = await import('../../client/alert-client.js');
    const alerts = await new AlertClient(client.transport).list();
    if (output === 'json') {
      printJson(alerts);
      return;
    }
    const rows = alerts.map((a) => [a.Rule, a.Status, a.Severity, otherLabels(a), a.Since, deliveryText(a)]);
    process.stdout.write(`${renderTable(['RULE', 'STATUS', 'SEVERITY', 'LABELS', 'SINCE', 'DELIVERY'], rows)}\n`);
  });
}
