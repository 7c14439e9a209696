import type { Settings } from '@shared/ipc/settings';
import type { DocumentInfo, RecentFile } from '@shared/ipc/documents';
import type { GrantedPath } from '@shared/ipc/grants';
import type { MenuCommand } from '@shared/ipc/menu';
import type { LayerRecord } from '@shared/ipc/project';
import { isMacLike } from '../../lib/format';
import { hasBackend, request } from '../../lib/ipc';
import type { ShellState } from '../../lib/shell.svelte';
import { EDITOR_COMMANDS, type EditorActions } from '../commands/editor-commands';
import { detectionLayer } from '../document/layer-ops';
import { CommandRegistry } from '../commands/registry';
import type { Editor } from '../editor';
import { Refusal } from '../refusal';
import type { Rect } from '../geometry';
import { CanvasController } from './canvas-controller';
import { DetectRunner } from './detect-runner.svelte';
import { FaceWarning } from './face-warning.svelte';
import type { DisplayImages } from './display-images';
import { SessionFeedback } from './feedback.svelte';
import { ExportFlow, type Confirm } from './export-flow.svelte';
import { finishExport, runDetect, runRestore, saveProject } from './flows';
import { isTyping, KeyboardRouter } from './keyboard';
import { LayerActions } from './layer-actions';
import { closeDocument, openBatchPhoto, openBatchResult, openFile, openGranted, openProject, openWithDialog } from './lifecycle';
import { LiveSensitivity } from './live-sensitivity';
import { RestoreRunner } from './restore-runner.svelte';
import type { Notice } from './session-host';
import { runSnap, warmSnap } from '../snap/snap-flow';
import { ToneSettings } from './tone-settings.svelte';
import { TonePreview } from './tone-preview.svelte';
import { ToolState } from './tool-state.svelte';
import { VersionDisplay } from './version-display';
import { ViewState } from './view-state.svelte';

export type { ConfirmChoice, ConfirmRequest, Notice } from './session-host';


/**
 * The open photo as the UI sees it: rune state mirroring the editor core
 * (layers, history, image version), the canvas it is drawn on, and the
 * flows that talk to main (open, restore, export, save). How it is shown
 * (`viewer`), the marking tools (`tools`), what is done to layers
 * (`layerActions`) and what the person is told (`feedback`) are managers of
 * their own. Every command goes through the command registry, so buttons,
 * menu and keys behave the same.
 */
export class EditorSession implements EditorActions {
  doc = $state<DocumentInfo | null>(null);
  layers = $state<LayerRecord[]>([]);
  activeLayerId = $state<string | null>(null);
  canUndo = $state(false);
  canRedo = $state(false);
  undoLabel = $state<string | null>(null);
  redoLabel = $state<string | null>(null);
  imageVersion = $state(0);
  /** Pixels in the mask a restore would fill (union of visible layers). */
  maskPixels = $state(0);
  /** Pixels "restore everything again" would fill: every mark restored so far plus the new ones. */
  everythingPixels = $state(0);
  overlayOpacity = $state(0.55);
  shortcutsOpen = $state(false);
  recent = $state<RecentFile[]>([]);
  /** A saved project beside the opened photo, offered for resuming. */
  resumeOffer = $state<DocumentInfo['sidecar']>(null);
  /** Where the project was last saved or opened from, with the handle to save there again. */
  projectPath = $state<GrantedPath | null>(null);

  readonly restoreRunner = new RestoreRunner();
  readonly tone = new ToneSettings();
  readonly tonePreview = new TonePreview();
  /** The live tone preview's matrix, kept for a canvas attached later. */
  private toneMatrix: readonly number[] | null = null;
  readonly detectRunner = new DetectRunner();
  /** The sensitivity slider over a detected layer: a preview while it moves, main's exact mask once it rests. */
  readonly liveSensitivity = new LiveSensitivity(this);
  /** "N marks touch a face" (./face-warning.svelte.ts). */
  readonly faceWarning = new FaceWarning(this);
  readonly exportFlow: ExportFlow;
  readonly registry = new CommandRegistry<EditorActions>(EDITOR_COMMANDS, isMacLike());
  readonly feedback: SessionFeedback;
  readonly keyboard: KeyboardRouter;
  readonly viewer: ViewState;
  readonly tools = new ToolState(() => warmSnap(this));
  readonly layerActions: LayerActions;

  /** A photo is open (in either view): it can be closed from its tab. */
  readonly hasDocument = $derived(this.doc !== null);
  readonly hasLayer = $derived(this.activeLayerId !== null);
  readonly restoring = $derived(this.restoreRunner.running);
  readonly detecting = $derived(this.detectRunner.running);
  /** Marks to fill, or Auto tone on (tone only needs no marks). */
  readonly canRestore = $derived(this.hasPhoto && (this.maskPixels > 0 || this.tone.on) && !this.restoreRunner.running && !this.busy);
  /** Only once something was restored: before that it is the same as Restore. */
  readonly canRestoreEverything = $derived(
    this.hasPhoto && this.everythingPixels > this.maskPixels && !this.restoreRunner.running && !this.busy,
  );

  /** A longer step (opening, saving) is running: restoring waits for it. */
  private get busy(): boolean {
    return this.feedback.busy !== null;
  }

  /** A photo is open and the editor is the view shown: editing commands (undo, restore, keys) apply only then. */
  get hasPhoto(): boolean {
    return this.doc !== null && this.shell.mode === 'editor';
  }

  private editor: Editor | null = null;
  /** History mark at the last open or save: anything else is unsaved work. */
  private cleanMark = 0;
  private controller: CanvasController | null = null;
  private images: DisplayImages | null = null;
  private display: VersionDisplay | null = null;
  private unsubscribeEditor: (() => void) | null = null;
  private countTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly shell: ShellState) {
    this.feedback = new SessionFeedback(shell);
    const confirm: Confirm = (o) => this.feedback.ask(o.title, o.message, o.confirmLabel, o.danger ?? false);
    this.exportFlow = new ExportFlow(confirm);
    this.keyboard = new KeyboardRouter(this.registry, () => this);
    this.viewer = new ViewState(this);
    this.layerActions = new LayerActions(this);
  }

  /** Runs a command by id (toolbar buttons, menu); false when it is not available now. */
  run(id: string): boolean {
    return this.registry.run(id, this);
  }

  enabled(id: string): boolean {
    return this.registry.enabled(id, this);
  }

  /** Application-menu items send the id of the command they run; false for the shell's own (About). */
  runMenu(id: MenuCommand): boolean {
    if (!this.registry.has(id)) return false;
    // Menu accelerators take the keystroke even while typing, so the field never sees its own
    // Ctrl+Z: hand it the field's native undo instead of undoing a mask edit.
    if ((id === 'edit.undo' || id === 'edit.redo') && isTyping(document.activeElement)) {
      document.execCommand(id === 'edit.undo' ? 'undo' : 'redo');
      return true;
    }
    this.run(id);
    return true;
  }

  // ---- opening and closing ---------------------------------------------------

  async loadRecent(): Promise<void> {
    if (!hasBackend()) return;
    try {
      this.recent = [...(await request('recent:list')).files];
    } catch {
      this.recent = [];
    }
  }

  openPhoto(): void {
    void openWithDialog(this);
  }

  openWithDialog(): Promise<void> {
    return openWithDialog(this);
  }

  /** Opens a photo or a .patina project main granted (dialog, recent list, drop in Electron). */
  openGranted(file: GrantedPath): Promise<void> {
    return openGranted(this, file);
  }

  /** Opens the photo of a batch item (the Batch view). */
  openBatchPhoto(batchId: string, itemId: number, name: string): Promise<void> {
    return openBatchPhoto(this, batchId, itemId, name);
  }

  /** A restored batch item: its result, the original to compare with, and the mask it used as a layer. */
  openBatchResult(batchId: string, itemId: number): Promise<void> {
    return openBatchResult(this, batchId, itemId);
  }

  /** A dropped File: opened in place when it has a path (Electron), else imported as bytes. */
  openFile(file: File): Promise<void> {
    return openFile(this, file);
  }

  resume(): Promise<void> {
    const offer = this.resumeOffer;
    this.resumeOffer = null;
    return offer ? openProject(this, offer) : Promise.resolve();
  }

  closePhoto(): void {
    void this.close();
  }

  /** Closes the photo; asks first when there is unsaved work (false: the person kept it open). */
  close(): Promise<boolean> {
    return closeDocument(this);
  }

  // ---- canvas ----------------------------------------------------------------------

  /** The open document's core (flows use it); null when no photo is open. */
  get core(): Editor | null {
    return this.editor;
  }

  /** Display images of the open document (flows seed committed versions into it). */
  get displayImages(): DisplayImages | null {
    return this.images;
  }

  /** True when marks or restores changed since the photo or project was opened or saved. */
  get unsaved(): boolean {
    return this.editor !== null && this.editor.historyMark !== this.cleanMark;
  }

  markSaved(): void {
    this.cleanMark = this.editor?.historyMark ?? 0;
  }

  /** Called by the canvas component once its element exists; returns the detach function. */
  attachCanvas(element: HTMLCanvasElement): () => void {
    const editor = this.editor;
    if (!editor) throw new Error('attachCanvas without an open photo');
    const controller = new CanvasController(editor, element, {
      viewChanged: (view) => {
        this.viewer.view = view;
        void this.display?.fitDetail(view.zoom).catch(() => undefined);
      },
      refused: (reason) => this.notify('info', reason),
      hover: (at) => (this.viewer.hover = at),
      panningChanged: (p) => (this.viewer.panning = p),
      edited: () => this.sync(),
      overlayShown: () => (this.viewer.overlayVisible = true),
      spaceHeld: () => this.viewer.spaceDown,
      brushWheel: (d) => this.tools.brushStep(d),
      snap: (gesture) => void runSnap(this, gesture),
    });
    this.tools.attach(controller);
    this.viewer.attach(controller);
    controller.setToneMatrix(this.toneMatrix);
    this.controller = controller;
    const display = new VersionDisplay(this.doc!, this.images!, controller.scene);
    this.display = display;
    void this.showVersion(this.imageVersion);
    void display.showBefore().catch(() => undefined);
    return () => {
      controller.dispose();
      if (this.controller === controller) this.detachControllers();
      if (this.display === display) this.display = null;
    };
  }

  resizeCanvas(width: number, height: number): void {
    this.controller?.setViewportSize(width, height);
  }

  setCursor(cursor: string): void {
    this.controller?.setCursor(cursor);
  }

  /** Draws the photo through the live tone preview's colour matrix (restore/tone-preview.ts); null: as it is. */
  setToneMatrix(matrix: readonly number[] | null): void {
    this.toneMatrix = matrix;
    this.controller?.setToneMatrix(matrix);
  }

  // ---- EditorActions: Escape, overlay opacity, panels, shortcuts --------------------------

  /** Esc: a confirmation, the shortcuts, the export dialog, a gesture, the compare, then the view. */
  escape(): void {
    if (this.feedback.confirmRequest) return this.feedback.answerWith('cancel');
    if (this.shortcutsOpen) {
      this.shortcutsOpen = false;
      return;
    }
    if (this.exportFlow.open) {
      this.exportFlow.open = false;
      return;
    }
    if (this.tools.cancelGesture()) return;
    if (this.viewer.compare !== 'off') return this.viewer.setCompare('off');
    this.viewer.zoomFit();
  }

  setOverlayOpacity(opacity: number): void {
    this.editor?.setOverlayOpacity(opacity);
    this.overlayOpacity = this.editor?.overlayOpacity ?? opacity;
  }

  togglePanels(): void {
    this.shell.togglePanels();
  }

  showShortcuts(): void {
    this.shortcutsOpen = !this.shortcutsOpen;
  }

  // ---- EditorActions: history -------------------------------------------------------------

  undo(): void {
    this.liveSensitivity.cancel();
    this.tools.cancelGesture();
    if (this.editor?.undo()) this.sync();
  }

  redo(): void {
    this.liveSensitivity.cancel();
    this.tools.cancelGesture();
    if (this.editor?.redo()) this.sync();
  }

  // ---- EditorActions: restore, export, save -----------------------------------------------

  restore(): void {
    void runRestore(this);
  }

  restoreEverything(): void {
    void runRestore(this, true);
  }

  cancelRestore(): void {
    void this.restoreRunner.cancel();
  }

  detectDamage(): void {
    this.liveSensitivity.cancel();
    void runDetect(this);
  }

  /** The person's defaults (settings page): they become the current choices, now and when changed. */
  applySettings(settings: Settings, changed = true): void {
    // A fill quality chosen in the layers panel is remembered and stands until the settings change.
    if (changed || !this.restoreRunner.qualityModeRemembered) this.restoreRunner.setQualityMode(settings.qualityMode);
    this.detectRunner.sensitivity = settings.sensitivity;
    this.detectRunner.method = settings.detectMethod;
    this.detectRunner.medium = settings.detectMedium;
    this.restoreRunner.grain = settings.grain;
    this.restoreRunner.texture = settings.texture;
    this.exportFlow.defaultFormat = settings.exportFormat;
  }

  /** The sensitivity slider: shown at once; a detected layer follows it live and is re-thresholded exactly once it rests. */
  setDetectSensitivity(value: number): void {
    this.detectRunner.sensitivity = Math.max(0, Math.min(1, value));
    // During a restore the image is about to change; Find damage after it sees the result.
    if (this.editor && !this.restoring && detectionLayer(this.editor.layers)) this.liveSensitivity.moved(this.detectRunner.sensitivity);
  }

  /** Re-thresholds the detected layer at the slider's value shortly (main keeps the detection: no network run). */
  rethreshold(): void {
    this.liveSensitivity.settle();
  }

  /** Shows the marks overlay (the live sensitivity's result). */
  showMarks(): void {
    this.viewer.setOverlayVisible(true);
  }

  /** Zooms to a mark and shows the marks, as "next mark" does (the face warning's jump). */
  showMark(rect: Rect, label: string): void {
    this.viewer.showMark(rect, label);
  }

  cancelDetect(): void {
    void this.detectRunner.cancel();
  }

  exportImage(): void {
    if (this.doc) this.exportFlow.show(this.doc);
  }

  confirmExport(kind: 'planned' | 'save-as'): Promise<void> {
    return finishExport(this, kind);
  }

  saveProject(): void {
    void saveProject(this);
  }

  // ---- telling the person (the toast, status line, confirmations and busy label: ./feedback.svelte.ts) ----

  notify(kind: Notice['kind'], text: string, detail?: string): void {
    this.feedback.notify(kind, text, detail);
  }

  // ---- internals -----------------------------------------------------------------------------

  /** Makes a loaded document the open one (see ./lifecycle.ts). */
  install(info: DocumentInfo, editor: Editor, images: DisplayImages): void {
    this.editor = editor;
    this.cleanMark = editor.historyMark;
    this.images = images;
    this.unsubscribeEditor = editor.subscribe((change) => {
      if (change.layers || change.image) this.sync();
    });
    this.projectPath = null;
    this.viewer.reset();
    this.tools.fitBrushTo(info.width, info.height);
    this.doc = info;
    this.sync();
    this.shell.photoPath = info.path;
    this.shell.status = `${info.name} · ${info.width} × ${info.height}`;
    void this.faceWarning.load(info.id, editor.snapshot.imageVersion);
  }

  /** Forgets the open document's state (main is told by the caller). */
  uninstall(): void {
    this.liveSensitivity.cancel();
    this.faceWarning.clear();
    this.unsubscribeEditor?.();
    this.unsubscribeEditor = null;
    this.detachControllers();
    this.display = null;
    this.editor = null;
    this.images?.clear();
    this.images = null;
    this.doc = null;
    this.layers = [];
    this.activeLayerId = null;
    // Nothing is left to undo: the history went with the photo.
    this.canUndo = false;
    this.canRedo = false;
    this.undoLabel = null;
    this.redoLabel = null;
    this.imageVersion = 0;
    this.maskPixels = 0;
    this.everythingPixels = 0;
    this.resumeOffer = null;
    this.projectPath = null;
    this.viewer.compare = 'off';
    this.exportFlow.open = false;
    this.shell.photoPath = null;
  }

  /** Mirrors the core into runes; the mask count is recomputed shortly after (it scans pixels). */
  sync(): void {
    const editor = this.editor;
    if (!editor) return;
    this.layers = [...editor.layers];
    this.activeLayerId = editor.snapshot.activeLayerId;
    this.canUndo = editor.canUndo;
    this.canRedo = editor.canRedo;
    this.undoLabel = editor.undoLabel;
    this.redoLabel = editor.redoLabel;
    this.overlayOpacity = editor.overlayOpacity;
    if (editor.snapshot.imageVersion !== this.imageVersion) {
      this.imageVersion = editor.snapshot.imageVersion;
      void this.showVersion(this.imageVersion);
    }
    clearTimeout(this.countTimer);
    this.countTimer = setTimeout(() => {
      if (this.editor !== editor) return;
      this.maskPixels = editor.restoreMaskCount();
      this.faceWarning.update(editor);
      this.everythingPixels = editor.restoredLayer ? editor.restoreMaskCount({ everything: true }) : this.maskPixels;
    }, 30);
  }

  /** Puts an image version on the canvas (preview first, detail when zoomed). */
  private async showVersion(version: number): Promise<void> {
    try {
      await this.display?.show(version, this.viewer.view.zoom);
    } catch (err) {
      this.fail(`Could not show the image: ${messageOf(err)}`);
    }
  }

  /** The canvas is gone: the view and the tools draw nowhere until the next one is attached. */
  private detachControllers(): void {
    this.controller = null;
    this.viewer.attach(null);
    this.tools.attach(null);
  }

  /** Shows why an editor call was refused, then mirrors the core. */
  apply(result: Refusal | { id: string } | null | undefined): void {
    if (result instanceof Refusal) this.notify('info', result.reason);
    this.sync();
  }

  async withBusy(label: string, work: () => Promise<void>): Promise<void> {
    await this.feedback.withBusy(label, work);
    void this.loadRecent();
  }

  /** Status line and a toast; for the flows in ./flows.ts too. */
  say(text: string): void {
    this.notify('info', text);
  }

  fail(text: string, detail?: string): void {
    this.notify('error', text, detail);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
