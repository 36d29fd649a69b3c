/** The dashboard's public surface: what berthd's composition root uses. */
export { parseDashboardAddr } from './dashboard-addr.js';
export { startDashboard, type DashboardOptions, type DashboardServer } from './dashboard-server.js';
export type { DashboardTls } from './dashboard-tls.js';
