import { COMMAND_RECORDS, type CommandId } from '@shared/commands';
import type { ToolId } from '../tools/tool';
import type { Command } from './registry';

/** What the commands act on: implemented by the editor session (and by fakes in tests). */
export interface EditorActions {
  /** A photo is open, in whichever view. */
  readonly hasDocument: boolean;
  /** A photo is open and the editor view is shown (not the Batch view). */
  readonly hasPhoto: boolean;
  readonly hasLayer: boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  readonly canRestore: boolean;
  readonly canRestoreEverything: boolean;
  readonly restoring: boolean;
  readonly detecting: boolean;
  openPhoto(): void;
  exportImage(): void;
  saveProject(): void;
  closePhoto(): void;
  undo(): void;
  redo(): void;
  zoomIn(): void;
  zoomOut(): void;
  zoomFit(): void;
  zoomActual(): void;
  /** Esc: cancels a gesture or dialog first; otherwise resets the view. */
  escape(): void;
  panHold(on: boolean): void;
  compareHold(on: boolean): void;
  toggleSplit(): void;
  toggleOverlay(): void;
  /** Switches the overlay between tinted marks and high-contrast outlines. */
  toggleOverlayOutline(): void;
  /** Zooms to the next (+1) or previous (-1) marked region. */
  nextMark(direction: 1 | -1): void;
  setTool(tool: ToolId): void;
  /** Grows (+1) or shrinks (-1) the brush a step. */
  brushStep(direction: 1 | -1): void;
  /** The brush's "Snap to damage" mode on or off. */
  toggleSnap(): void;
  addLayer(): void;
  deleteLayer(): void;
  clearLayer(): void;
  invertLayer(): void;
  mergeDown(): void;
  /** Moves the active layer's edge out (+1) or in (-1) by the chosen step (1-5 px). */
  growLayer(direction: 1 | -1): void;
  toggleLayerVisible(): void;
  selectLayer(direction: 1 | -1): void;
  restore(): void;
  /** Restores every mark again, those earlier restores consumed included. */
  restoreEverything(): void;
  detectDamage(): void;
  cancelRestore(): void;
  showShortcuts(): void;
  /** Shows or hides the side panels (the top bar's button, the View menu, Mod+\\). */
  togglePanels(): void;
}

type C = EditorActions;
const photo = (a: C) => a.hasPhoto;
const layer = (a: C) => a.hasPhoto && a.hasLayer;

type Behaviour = Pick<Command<C>, 'when' | 'run' | 'release'>;

/** What each command does and when it can run; its words and keys are src/shared/commands.ts. */
const BEHAVIOURS: { readonly [id in CommandId]: Behaviour } = {
  'file.open': { run: (a) => a.openPhoto() },
  'file.save-project': { when: photo, run: (a) => a.saveProject() },
  'file.export': { when: photo, run: (a) => a.exportImage() },
  'file.close': { when: (a) => a.hasDocument, run: (a) => a.closePhoto() },
  'edit.undo': { when: (a) => a.hasPhoto && a.canUndo && !a.restoring, run: (a) => a.undo() },
  'edit.redo': { when: (a) => a.hasPhoto && a.canRedo && !a.restoring, run: (a) => a.redo() },
  'view.zoom-in': { when: photo, run: (a) => a.zoomIn() },
  'view.zoom-out': { when: photo, run: (a) => a.zoomOut() },
  'view.zoom-fit': { when: photo, run: (a) => a.zoomFit() },
  'view.zoom-actual': { when: photo, run: (a) => a.zoomActual() },
  'view.pan': { when: photo, run: (a) => a.panHold(true), release: (a) => a.panHold(false) },
  'view.compare-hold': { when: photo, run: (a) => a.compareHold(true), release: (a) => a.compareHold(false) },
  'view.compare-split': { when: photo, run: (a) => a.toggleSplit() },
  'view.toggle-overlay': { when: photo, run: (a) => a.toggleOverlay() },
  'view.overlay-outline': { when: photo, run: (a) => a.toggleOverlayOutline() },
  'view.next-mark': { when: photo, run: (a) => a.nextMark(1) },
  'view.previous-mark': { when: photo, run: (a) => a.nextMark(-1) },
  'view.toggle-panels': { run: (a) => a.togglePanels() },
  'view.escape': { run: (a) => a.escape() },
  'tool.brush': { when: photo, run: (a) => a.setTool('brush') },
  'tool.eraser': { when: photo, run: (a) => a.setTool('eraser') },
  'tool.lasso': { when: photo, run: (a) => a.setTool('lasso') },
  'tool.rect': { when: photo, run: (a) => a.setTool('rect') },
  'tool.snap': { when: photo, run: (a) => a.toggleSnap() },
  'tool.size-down': { when: photo, run: (a) => a.brushStep(-1) },
  'tool.size-up': { when: photo, run: (a) => a.brushStep(1) },
  'layer.add': { when: photo, run: (a) => a.addLayer() },
  'layer.clear': { when: layer, run: (a) => a.clearLayer() },
  'layer.invert': { when: layer, run: (a) => a.invertLayer() },
  'layer.merge-down': { when: layer, run: (a) => a.mergeDown() },
  'layer.grow': { when: layer, run: (a) => a.growLayer(1) },
  'layer.shrink': { when: layer, run: (a) => a.growLayer(-1) },
  'layer.delete': { when: layer, run: (a) => a.deleteLayer() },
  'layer.detect': { when: (a) => a.hasPhoto && !a.detecting && !a.restoring, run: (a) => a.detectDamage() },
  'layer.toggle-visible': { when: layer, run: (a) => a.toggleLayerVisible() },
  'layer.select-up': { when: layer, run: (a) => a.selectLayer(1) },
  'layer.select-down': { when: layer, run: (a) => a.selectLayer(-1) },
  'restore.run': { when: (a) => a.canRestore, run: (a) => a.restore() },
  'restore.everything': { when: (a) => a.canRestoreEverything, run: (a) => a.restoreEverything() },
  'restore.cancel': { when: (a) => a.restoring, run: (a) => a.cancelRestore() },
  'help.shortcuts': { run: (a) => a.showShortcuts() },
};

/**
 * Every editor command: the shared records with their behaviour. Keys are
 * data: the shortcuts overlay, the buttons' shortcut labels and the
 * application menu all read them from the records.
 */
export const EDITOR_COMMANDS: readonly Command<C>[] = COMMAND_RECORDS.map((record) => ({ ...record, ...BEHAVIOURS[record.id] }));
