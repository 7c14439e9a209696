import type { DocumentInfo } from '@shared/ipc/documents';
import type { GrantedPath } from '@shared/ipc/grants';
import type { ShellState } from '../../lib/shell.svelte';
import type { Editor } from '../editor';
import type { Refusal } from '../refusal';
import type { CompareMode } from '../fabric/editor-scene';
import type { DetectRunner } from './detect-runner.svelte';
import type { DisplayImages } from './display-images';
import type { ExportFlow } from './export-flow.svelte';
import type { RestoreRunner } from './restore-runner.svelte';
import type { ToneSettings } from './tone-settings.svelte';

/** How a confirmation was answered: the confirm button, the alternative (e.g. Save), or Cancel/Escape. */
export type ConfirmChoice = 'confirm' | 'alternative' | 'cancel';

export interface ConfirmRequest {
  readonly title: string;
  readonly message: string;
  readonly confirmLabel: string;
  readonly danger: boolean;
  /** A third answer, shown as the primary button ("Save and close"); absent for plain yes/no questions. */
  readonly alternativeLabel?: string;
  readonly resolve: (choice: ConfirmChoice) => void;
}

export interface Notice {
  readonly kind: 'info' | 'error';
  readonly text: string;
  /** The library's own words (e.g. the decoder's error), shown on a details line under the text. */
  readonly detail?: string;
}

/**
 * What the session's flows (./flows.ts: restore, find damage, export, save)
 * and its document lifecycle (./lifecycle.ts: open, close) may use of the
 * session: the open document, its runners, and the ways to tell the person.
 * EditorSession has all of it; the flows see no more, and import no session.
 */
export interface SessionHost {
  readonly shell: ShellState;
  readonly doc: DocumentInfo | null;
  readonly core: Editor | null;
  readonly displayImages: DisplayImages | null;
  readonly imageVersion: number;
  readonly unsaved: boolean;
  readonly restoreRunner: RestoreRunner;
  readonly detectRunner: DetectRunner;
  readonly exportFlow: ExportFlow;
  readonly tone: ToneSettings;
  /** The project file being edited, with its write handle (saving writes back to it). */
  projectPath: GrantedPath | null;
  resumeOffer: DocumentInfo['sidecar'];

  say(text: string): void;
  fail(text: string, detail?: string): void;
  notify(kind: Notice['kind'], text: string, detail?: string): void;
  readonly feedback: { choose(question: Omit<ConfirmRequest, 'resolve'>): Promise<ConfirmChoice> };
  withBusy(label: string, work: () => Promise<void>): Promise<void>;

  /** Applies an editor command's outcome (a refusal becomes a notice). */
  apply(result: Refusal | { id: string } | null | undefined): void;
  sync(): void;
  markSaved(): void;
  /** How the photo is shown: a result is shown without compare, marks are shown or hidden. */
  readonly viewer: {
    setCompare(mode: CompareMode): void;
    setOverlayVisible(visible: boolean): void;
  };
  rethreshold(): void;

  /** Makes a loaded document the open one, or lets it go. */
  install(info: DocumentInfo, editor: Editor, images: DisplayImages): void;
  uninstall(): void;
  loadRecent(): Promise<void>;
}
