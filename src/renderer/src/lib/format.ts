/** Display names for onnxruntime execution providers (ids as the engine reports them). */
const PROVIDER_LABELS: Readonly<Record<string, string>> = {
  cpu: 'CPU',
  cuda: 'CUDA',
  dml: 'DirectML',
  coreml: 'Core ML',
  webgpu: 'WebGPU',
};

export function providerLabel(id: string): string {
  return PROVIDER_LABELS[id] ?? id;
}

export function isMacLike(): boolean {
  return /Mac|iPhone|iPad/.test(navigator.userAgent);
}

/** "CmdOrCtrl+O" -> "⌘O" on macOS, "Ctrl+O" elsewhere. */
export function shortcutLabel(accelerator: string): string {
  if (isMacLike()) {
    return accelerator.replace('CmdOrCtrl+', '⌘').replace('Shift+', '⇧').replace('Alt+', '⌥');
  }
  return accelerator.replace('CmdOrCtrl+', 'Ctrl+');
}

/** Last path segment, for both / and \ separated paths. */
export function baseName(filePath: string): string {
  const parts = filePath.split(/[\\/]/);
  return parts[parts.length - 1] || filePath;
}
