/**
 * Entry of the headless `patina` command (bin/patina.js loads the built
 * out/main/cli.js). Plain Node: the same engine and worker as the app.
 *
 * Only what reads the command line and starts the worker is imported up
 * front. The worker then loads sharp, onnxruntime and the pipeline while this
 * thread loads the rest of the command (dynamic imports below): on two cores
 * both start-ups run side by side instead of one after the other.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultModelsDir } from '../inference/models-dir';
import { RestoreEngine } from '../restore/engine';
import { EngineError } from '../errors/engine-error';
import { parseCommandLine, USAGE, UsageError } from './args';

export async function main(argv: readonly string[]): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const err = (line: string) => process.stderr.write(`${line}\n`);
  let engine: RestoreEngine | undefined;
  try {
    const cmd = parseCommandLine(argv);
    if (cmd.command === 'help') {
      out(USAGE);
      return 0;
    }
    if (cmd.command === 'version') {
      out(packageVersion());
      return 0;
    }
    if (cmd.command === 'detect') {
      // Detection needs no model: no engine, no worker.
      const interrupt = new AbortController();
      process.once('SIGINT', () => interrupt.abort());
      const { runDetectCommand } = await import('../defects/detect-command');
      return await runDetectCommand(cmd, out, (message) => new UsageError(message), interrupt.signal);
    }
    engine = new RestoreEngine({ modelsDir: defaultModelsDir(), device: cmd.device });
    engine.open();
    const [{ runCommand }, { jsonReporter, textReporter }] = await Promise.all([import('./run-command'), import('./output')]);
    const reporter = cmd.json ? jsonReporter(out) : textReporter(out, err, process.stderr.isTTY === true);
    // Ctrl-C cancels the photo in progress (no partial file is left) and stops the run.
    const interrupt = new AbortController();
    process.once('SIGINT', () => interrupt.abort());
    return await runCommand(cmd, engine, reporter, interrupt.signal);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`patina: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    // Anything else is the run failing (a folder that cannot be written, ...), not the command line: no usage text.
    err(`patina: ${e instanceof Error ? e.message : String(e)}`);
    if (e instanceof EngineError && e.detail) err(`  details: ${e.detail}`);
    return 1;
  } finally {
    await engine?.close();
  }
}

function packageVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'patina' && pkg.version) return pkg.version;
    } catch {
      // not here; look one folder up
    }
    dir = path.dirname(dir);
  }
  return 'unknown';
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`patina: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  },
);
