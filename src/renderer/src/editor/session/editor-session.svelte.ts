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
import { Refusal, type Editor } from '../editor';
import type { CompareMode } from '../fabric/editor-scene';
import type { Point } from '../geometry';
import { markRegions, stepRegion } from '../mask/regions';
import type { ToolId } from '../tools/tool';
import { zoomLabel, type View } from '../view/viewport';
import { CanvasController } from './canvas-controller';
import { DetectRunner } from './detect-runner.svelte';
import type { DisplayImages } from './display-images';
import { SessionFeedback } from './feedback.svelte';
import { ExportFlow, type Confirm } from './export-flow.svelte';
import { finishExport, runDetect, runRestore, saveProject } from './flows';
import { isTyping, KeyboardRouter } from './keyboard';
import { closeDocument, openBatchPhoto, openBatchResult, openFile, openGranted, openProject, openWithDialog } from './lifecycle';
import { RestoreRunner } from './restore-runner.svelte';
import type { ConfirmChoice, ConfirmRequest, Notice } from './session-host';
import { runSnap, warmSnap } from '../snap/snap-flow';
import { ToneSettings } from './tone-settings.svelte';
import { TonePreview } from './tone-preview.svelte';
import { VersionDisplay } from './version-display';

export type { ConfirmChoice, ConfirmRequest, Notice } from './session-host';

/** How long the sensitivity slider rests before detection runs again (each run takes a second or more). */
const RETHRESHOLD_DELAY_MS = 250;
const BRUSH_MIN = 1;
const BRUSH_MAX = 2000;

/**
 * The open photo as the UI sees it: rune state mirroring the editor core
 * (layers, history, image version), the view, the tool, dialogs, and the
 * flows that talk to main (open, restore, export, save). Components read
 * these fields and call its methods; every command goes through the
 * command registry, so buttons, menu and keys behave the same.
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
  tool = $state<ToolId>('brush');
  /** Brush diameter in photo pixels. */
  brushSize = $state(20);
  /** "Snap to damage": a brush stroke adds only the damaged pixels under it (see ../snap/snap-flow.ts). */
  snapMode = $state(false);
  /** How far Grow and Shrink move a layer's edge, 1 to MAX_GROW px. */
  growStep = $state(1);
  view = $state<View>({ zoom: 1, panX: 0, panY: 0 });
  overlayVisible = $state(true);
  overlayOpacity = $state(0.55);
  /** High-contrast outlines instead of tinted marks (display only, kept while the app runs). */
  overlayOutline = $state(false);
  compare = $state<CompareMode>('off');
  split = $state(0.5);
  spaceDown = $state(false);
  panning = $state(false);
  hover = $state<Point | null>(null);
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
  readonly exportFlow: ExportFlow;
  readonly registry = new CommandRegistry<EditorActions>(EDITOR_COMMANDS, isMacLike());
  readonly keyboard: KeyboardRouter;

  readonly zoomText = $derived(zoomLabel(this.view.zoom));
  /** A photo is open (in either view): it can be closed from its tab. */
  readonly hasDocument = $derived(this.doc !== null);
  readonly hasLayer = $derived(this.activeLayerId !== null);
  readonly restoring = $derived(this.restoreRunner.running);
  readonly detecting = $derived(this.detectRunner.running);
  /** Marks to fill, or Auto tone on (tone only needs no marks). */
  readonly canRestore = $derived(this.hasPhoto && (this.maskPixels > 0 || this.tone.on) && !this.restoreRunner.running && this.busy === null);
  /** Only once something was restored: before that it is the same as Restore. */
  readonly canRestoreEverything = $derived(
    this.hasPhoto && this.everythingPixels > this.maskPixels && !this.restoreRunner.running && this.busy === null,
  );

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
  private rethresholdTimer: ReturnType<typeof setTimeout> | undefined;
  /** Index of the region "next mark" last showed (-1: none yet); session state, not history. */
  private markCursor = -1;

  readonly feedback: SessionFeedback;

  constructor(readonly shell: ShellState) {
    this.feedback = new SessionFeedback(shell);
    const confirm: Confirm = (o) => this.ask(o.title, o.message, o.confirmLabel, o.danger ?? false);
    this.exportFlow = new ExportFlow(confirm);
    this.keyboard = new KeyboardRouter(this.registry, () => this);
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
        this.view = view;
        void this.display?.fitDetail(view.zoom).catch(() => undefined);
      },
      refused: (reason) => this.notify('info', reason),
      hover: (at) => (this.hover = at),
      panningChanged: (p) => (this.panning = p),
      edited: () => this.sync(),
      overlayShown: () => (this.overlayVisible = true),
      spaceHeld: () => this.spaceDown,
      brushWheel: (d) => this.brushStep(d),
      snap: (gesture) => void runSnap(this, gesture),
    });
    controller.brushSize = this.brushSize;
    controller.snapMode = this.snapMode;
    controller.setTool(this.tool);
    controller.setOverlay(this.overlayVisible);
    controller.setOverlayStyle(this.overlayOutline ? 'outline' : 'fill');
    controller.setToneMatrix(this.toneMatrix);
    this.controller = controller;
    const display = new VersionDisplay(this.doc!, this.images!, controller.scene);
    this.display = display;
    void this.showVersion(this.imageVersion);
    void display.showBefore().catch(() => undefined);
    return () => {
      controller.dispose();
      if (this.controller === controller) this.controller = null;
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

  // ---- EditorActions: view ---------------------------------------------------------

  zoomIn(): void {
    this.controller?.zoomStep(1);
  }

  zoomOut(): void {
    this.controller?.zoomStep(-1);
  }

  zoomFit(): void {
    this.controller?.fit();
  }

  zoomActual(): void {
    this.controller?.actualSize();
  }

  escape(): void {
    if (this.confirmRequest) return this.answer(false);
    if (this.shortcutsOpen) {
      this.shortcutsOpen = false;
      return;
    }
    if (this.exportFlow.open) {
      this.exportFlow.open = false;
      return;
    }
    if (this.controller?.cancelGesture()) return;
    if (this.compare !== 'off') return this.setCompare('off');
    this.controller?.fit();
  }

  panHold(on: boolean): void {
    this.spaceDown = on;
  }

  compareHold(on: boolean): void {
    if (on && this.compare === 'off') this.setCompare('hold');
    else if (!on && this.compare === 'hold') this.setCompare('off');
  }

  toggleSplit(): void {
    this.setCompare(this.compare === 'split' ? 'off' : 'split');
  }

  setCompare(mode: CompareMode): void {
    this.compare = mode;
    this.controller?.setCompare(mode, this.split);
  }

  setSplit(position: number): void {
    this.split = Math.max(0, Math.min(1, position));
    if (this.compare === 'split') this.controller?.setCompare('split', this.split);
  }

  toggleOverlay(): void {
    this.setOverlayVisible(!this.overlayVisible);
  }

  setOverlayVisible(visible: boolean): void {
    this.overlayVisible = visible;
    this.controller?.setOverlay(visible);
  }

  toggleOverlayOutline(): void {
    this.overlayOutline = !this.overlayOutline;
    this.controller?.setOverlayStyle(this.overlayOutline ? 'outline' : 'fill');
    this.setOverlayVisible(true);
  }

  /** Steps through the marked regions (union of visible layers) in reading order, zooming to each. */
  nextMark(direction: 1 | -1): void {
    const editor = this.editor;
    if (!editor || !this.controller) return;
    const mask = editor.restoreMask();
    const regions = markRegions(mask.data, editor.width, editor.contentBounds());
    if (regions.length === 0) return this.notify('info', 'Nothing marked to review');
    const step = stepRegion(regions, this.markCursor, direction);
    this.markCursor = step.index;
    this.controller.showRect(step.rect);
    this.setOverlayVisible(true);
    this.shell.status = `Mark ${step.index + 1} of ${regions.length}`;
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

  // ---- EditorActions: tools -----------------------------------------------------------

  setTool(tool: ToolId): void {
    this.tool = tool;
    this.controller?.setTool(tool);
  }

  setBrushSize(size: number): void {
    this.brushSize = Math.round(Math.max(BRUSH_MIN, Math.min(BRUSH_MAX, size)));
    if (this.controller) this.controller.brushSize = this.brushSize;
  }

  /** Turns "Snap to damage" on or off; on, it picks the brush (the mode is the brush's). */
  toggleSnap(): void {
    this.snapMode = !this.snapMode;
    if (this.controller) this.controller.snapMode = this.snapMode;
    if (this.snapMode && this.tool !== 'brush') this.setTool('brush');
    if (this.snapMode) warmSnap(this);
  }

  /** A pointer gesture is being drawn on the canvas (the snap flow waits for it to end). */
  gestureActive(): boolean {
    return (this.controller?.toolState ?? 'idle') !== 'idle';
  }

  brushStep(direction: 1 | -1): void {
    const next = direction > 0 ? Math.max(this.brushSize + 1, this.brushSize * 1.2) : Math.min(this.brushSize - 1, this.brushSize / 1.2);
    this.setBrushSize(next);
  }

  // ---- EditorActions: layers ------------------------------------------------------------

  addLayer(): void {
    this.apply(this.editor?.addLayer());
  }

  deleteLayer(id = this.activeLayerId): void {
    if (id) this.apply(this.editor?.deleteLayer(id));
  }

  clearLayer(): void {
    this.apply(this.editor?.clearLayer());
  }

  invertLayer(): void {
    this.apply(this.editor?.invertLayer());
  }

  growLayer(direction: 1 | -1): void {
    this.apply(this.editor?.growLayer(direction * this.growStep));
  }

  mergeDown(id = this.activeLayerId): void {
    if (id) this.apply(this.editor?.mergeDown(id));
  }

  toggleLayerVisible(id = this.activeLayerId): void {
    const layer = this.layers.find((l) => l.id === id);
    if (layer) this.apply(this.editor?.setVisible(layer.id, !layer.visible));
  }

  toggleLayerLocked(id: string): void {
    const layer = this.layers.find((l) => l.id === id);
    if (layer) this.apply(this.editor?.setLocked(layer.id, !layer.locked));
  }

  renameLayer(id: string, name: string): void {
    this.apply(this.editor?.renameLayer(id, name));
  }

  setLayerColor(id: string, color: string): void {
    this.apply(this.editor?.setColor(id, color));
  }

  /** Moves a layer up (+1, towards the top) or down (-1) the stack. */
  moveLayer(id: string, direction: 1 | -1): void {
    const index = this.layers.findIndex((l) => l.id === id);
    if (index >= 0) this.apply(this.editor?.moveLayer(id, index + direction));
  }

  selectLayer(direction: 1 | -1): void {
    const index = this.layers.findIndex((l) => l.id === this.activeLayerId);
    const next = this.layers[index + direction];
    if (next) this.setActiveLayer(next.id);
  }

  setActiveLayer(id: string): void {
    this.editor?.setActive(id);
    this.sync();
  }

  // ---- EditorActions: history -------------------------------------------------------------

  undo(): void {
    this.controller?.cancelGesture();
    if (this.editor?.undo()) this.sync();
  }

  redo(): void {
    this.controller?.cancelGesture();
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
    void runDetect(this);
  }

  /** The person's defaults (settings page): they become the current choices, now and when changed. */
  applySettings(settings: Settings, changed = true): void {
    // A fill quality chosen in the layers panel is remembered and stands until the settings change.
    if (changed || !this.restoreRunner.qualityModeRemembered) this.restoreRunner.setQualityMode(settings.qualityMode);
    this.detectRunner.sensitivity = settings.sensitivity;
    this.detectRunner.method = settings.detectMethod;
    this.restoreRunner.grain = settings.grain;
    this.exportFlow.defaultFormat = settings.exportFormat;
  }

  /** The sensitivity slider: shown at once; a detected layer is re-thresholded once the slider rests. */
  setDetectSensitivity(value: number): void {
    this.detectRunner.sensitivity = Math.max(0, Math.min(1, value));
    // During a restore the image is about to change; Find damage after it sees the result.
    if (this.editor && !this.restoring && detectionLayer(this.editor.layers)) this.rethreshold();
  }

  /** Runs detection again at the slider's value shortly, unless the slider moves again first. */
  rethreshold(): void {
    clearTimeout(this.rethresholdTimer);
    this.rethresholdTimer = setTimeout(() => void runDetect(this, true), RETHRESHOLD_DELAY_MS);
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

  // ---- confirmations and notices ------------------------------------------------------------

  // The toast, the status line, confirmations and the busy label live in ./feedback.svelte.ts.
  get busy(): string | null {
    return this.feedback.busy;
  }

  get notice(): Notice | null {
    return this.feedback.notice;
  }

  set notice(notice: Notice | null) {
    this.feedback.notice = notice;
  }

  get confirmRequest(): ConfirmRequest | null {
    return this.feedback.confirmRequest;
  }

  ask(title: string, message: string, confirmLabel: string, danger: boolean): Promise<boolean> {
    return this.feedback.ask(title, message, confirmLabel, danger);
  }

  choose(question: Omit<ConfirmRequest, 'resolve'>): Promise<ConfirmChoice> {
    return this.feedback.choose(question);
  }

  answer(ok: boolean): void {
    this.feedback.answerWith(ok ? 'confirm' : 'cancel');
  }

  answerWith(choice: ConfirmChoice): void {
    this.feedback.answerWith(choice);
  }

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
    this.compare = 'off';
    this.overlayVisible = true;
    this.markCursor = -1;
    this.brushSize = Math.max(4, Math.round(Math.min(info.width, info.height) / 60));
    this.doc = info;
    this.sync();
    this.shell.photoPath = info.path;
    this.shell.status = `${info.name} · ${info.width} × ${info.height}`;
  }

  /** Forgets the open document's state (main is told by the caller). */
  uninstall(): void {
    clearTimeout(this.rethresholdTimer);
    this.unsubscribeEditor?.();
    this.unsubscribeEditor = null;
    this.controller = null;
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
    this.compare = 'off';
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
      this.everythingPixels = editor.restoredLayer ? editor.restoreMaskCount({ everything: true }) : this.maskPixels;
    }, 30);
  }

  /** Puts an image version on the canvas (preview first, detail when zoomed). */
  private async showVersion(version: number): Promise<void> {
    try {
      await this.display?.show(version, this.view.zoom);
    } catch (err) {
      this.fail(`Could not show the image: ${messageOf(err)}`);
    }
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
