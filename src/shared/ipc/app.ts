/** Payload types for the `app:*` channels. */

/** The restoration model as the manifest names it (models/manifest.json, role "inpaint"). */
export interface ModelSummary {
  readonly name: string;
  readonly version: string;
}

/** Answer of `app:info`: what the status bar and About dialog show. */
export interface AppInfo {
  readonly name: string;
  /** package.json version, e.g. "0.1.0". */
  readonly version: string;
  /** process.platform and process.arch of the engine's process. */
  readonly platform: string;
  readonly arch: string;
  readonly versions: {
    readonly node: string;
    /** null when the engine runs under plain Node (CLI, test bridge). */
    readonly electron: string | null;
    readonly chrome: string | null;
  };
  /** null until a model is installed; `modelIssue` then says why. */
  readonly model: ModelSummary | null;
  /** Why no model is available (missing or broken manifest); null when `model` is set. */
  readonly modelIssue: string | null;
  /** onnxruntime execution provider in use: 'cpu', 'cuda', 'dml', 'coreml', 'webgpu'. */
  readonly executionProvider: string;
}
