/** The node's agent: runs the tasks the managers assign to this node through its engine, and reports their status. */
export type { Assignments, ManagerLink, NodeEngine, TaskContainer, TaskContainerEvent, TaskContainerExit, TaskHealthChange, TaskStatusReport } from './agent-ports.js';
export { runAgent, type AgentOptions } from './run-agent.js';
export { ClientNodeEngine } from './client-node-engine.js';
export {
  NODE_ID_LABEL, SERVICE_ID_LABEL, SERVICE_NAME_LABEL, TASK_ID_LABEL, TASK_LABEL, TASK_NAME_LABEL,
  taskContainerConfig, taskContainerLabels, taskContainerName,
} from './task-container-config.js';
export { TASK_STOP_TIMEOUT_S } from './task-converger.js';
