/** `berth alert ls`: what berthd's alert rules raised (through berthd). */
import type { CommandSpec } from '../args/command-spec.js';

const actions = () => import('./alert-actions.js');

export const ALERT_COMMAND: CommandSpec = {
  name: 'alert',
  description: 'Show the alerts of berthd\'s alert rules (berthd --alert-rules)',
  commands: [
    {
      name: 'ls', aliases: ['list'], description: 'List pending and firing alerts with the delivery of their notifications',
      options: [{ flags: '--format <format>', description: 'table or json', default: 'table' }],
      run: async ({ globals, options }) => { await (await actions()).listAlertsAction(globals, typeof options.format === 'string' ? options.format : undefined); },
    },
  ],
};
