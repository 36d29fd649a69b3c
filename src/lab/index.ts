/** The lab's public surface: many berthd nodes on one machine (see README.md). */
export { upLab, downLab, labStatus, startLabNode, DEFAULT_LAB_HOME, DEFAULT_LAB_NAME } from './lab.js';
export type { LabUpOptions, LabRef, LabStatus, LabNodeStatus } from './lab.js';
export type { LabRole } from './lab-names.js';
