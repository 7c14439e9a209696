import path from 'node:path';
import type { ChooseFolderDialog, OpenImageDialog, SaveFileDialog } from '../dialogs/handlers';

/**
 * The bridge's stand-in for the native "open image" dialog: answers come from
 * a queue the test fills (`queueOpenImage`), else from the
 * PATINA_BRIDGE_OPEN_IMAGE environment variable (paths joined with the
 * platform's path delimiter) for people clicking through `npm run e2e:serve`,
 * else the dialog counts as cancelled.
 */
export class ScriptedDialogs {
  private readonly answers: string[][] = [];
  private readonly saveAnswers: (string | null)[] = [];
  private readonly folderAnswers: (string | null)[] = [];
  /** Every request the renderer made, oldest first, so tests can check the options. */
  readonly openImageCalls: { multiple: boolean; title?: string; projects?: boolean }[] = [];
  readonly saveFileCalls: Parameters<SaveFileDialog>[0][] = [];
  readonly chooseFolderCalls: Parameters<ChooseFolderDialog>[0][] = [];
  /** Folders the app asked the system to show (a batch's "Open output folder"). */
  readonly openFolderCalls: string[] = [];

  constructor(private readonly fallback: string | undefined = process.env['PATINA_BRIDGE_OPEN_IMAGE']) {}

  queueOpenImage(paths: readonly string[]): void {
    this.answers.push(paths.map((p) => path.resolve(p)));
  }

  /** The next "save as" dialog answers this path (null: cancelled); unqueued ones count as cancelled. */
  queueSaveFile(answer: string | null): void {
    this.saveAnswers.push(answer === null ? null : path.resolve(answer));
  }

  /** The next folder chooser answers this folder (null: cancelled); unqueued ones count as cancelled. */
  queueChooseFolder(answer: string | null): void {
    this.folderAnswers.push(answer === null ? null : path.resolve(answer));
  }

  readonly saveFile: SaveFileDialog = async (options) => {
    this.saveFileCalls.push({ ...options });
    return this.saveAnswers.shift() ?? null;
  };

  readonly openFolder = async (dir: string): Promise<boolean> => {
    this.openFolderCalls.push(dir);
    return true;
  };

  readonly chooseFolder: ChooseFolderDialog = async (options) => {
    this.chooseFolderCalls.push({ ...options });
    return this.folderAnswers.shift() ?? null;
  };

  readonly openImage: OpenImageDialog = async (options) => {
    this.openImageCalls.push({ ...options });
    const next = this.answers.shift();
    if (next) return options.multiple ? next : next.slice(0, 1);
    if (this.fallback) {
      const paths = this.fallback.split(path.delimiter).filter(Boolean).map((p) => path.resolve(p));
      return options.multiple ? paths : paths.slice(0, 1);
    }
    return [];
  };
}
