// The options of `berth lab …` and what the lab port (cli/berth-ports.ts) answers.

/** The options every `berth lab` command takes. */
export interface LabFlags {
  name: string;
  /** The directory holding labs (default /var/lib/berth-labs). */
  dir?: string;
}

export interface LabUpFlags extends LabFlags {
  managers: string;
  workers: string;
  subnet?: string;
}

export interface LabStatusFlags extends LabFlags {
  format?: string;
}

/** One node of a lab as the CLI shows it. */
export interface LabNodeView {
  name: string;
  role: 'manager' | 'worker';
  address: string;
  socket: string;
  netns: string;
  root: string;
  pid: number | undefined;
  state: 'running' | 'stopped' | 'unresponsive';
}

/** A lab as the CLI shows it. */
export interface LabView {
  name: string;
  dir: string;
  bridge: string;
  subnet: string;
  hostAddress: string;
  phase: 'starting' | 'up';
  nodes: LabNodeView[];
}
