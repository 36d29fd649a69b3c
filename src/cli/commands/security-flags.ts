/** The options of `berth scan` and `berth sbom`. */
export interface ScanFlags { format: string; severity?: string; exitCode?: string; ignoreUnfixed?: boolean; ignoreFile?: string; output?: string }
export interface SbomFlags { format: string; output?: string }
