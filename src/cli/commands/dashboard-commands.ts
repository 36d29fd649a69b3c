/**
 * `berth dashboard url`: prints the login URL of the dashboard berthd serves (`berthd
 * --dashboard-addr`), token included. berthd leaves it in its state root (--root / BERTH_ROOT,
 * else /var/lib/berth), readable by root only, as the API socket is usable by root only.
 */
import type { CommandSpec } from '../args/command-spec.js';
import { stateRootOf } from '../context.js';

export const DASHBOARD_COMMAND: CommandSpec = {
  name: 'dashboard',
  description: 'The web dashboard (berthd --dashboard-addr)',
  commands: [
    {
      name: 'url',
      description: 'Print the dashboard\'s login URL, with its token (open it in a browser to log in)',
      run: async ({ globals }) => {
        const { readDashboardLogin } = await import('../../client/dashboard-login.js');
        process.stdout.write(`${await readDashboardLogin(stateRootOf(globals))}\n`);
      },
    },
  ],
};
