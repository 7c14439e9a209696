import { COMMAND_RECORDS, type CommandId } from '@shared/commands';
import type { ToolId } from '../tools/tool';
import type { Command } from './registry';

/** The view's commands (the session's ViewState). */
export interface ViewActions {
  zoomIn(): void;
  zoomOut(): void;
  zoomFit(): void;
  zoomActual(): void;
  panHold(on: boolean): void;
  compareHold(on: boolean): void;
  toggleSplit(): void;
  toggleOverlay(): void;
  /** Switches the overlay between tinted marks and high-contrast outlines. */
  toggleOverlayOutline(): void;
  /** Zooms to the next (+1) or previous (-1) marked region. */
  nextMark(direction: 1 | -1): void;
}

/** The marking tools' commands (the session's ToolState). */
export interface ToolActions {
  setTool(tool: ToolId): void;
  /** Grows (+1) or shrinks (-1) the brush a step. */
  brushStep(direction: 1 | -1): void;
  /** The brush's "Snap to damage" mode on or off. */
  toggleSnap(): void;
}

/** The Layers commands, on the active layer (the session's LayerActions). */
export interface LayerCommands {
  add(): void;
  delete(): void;
  clear(): void;
  invert(): void;
  mergeDown(): void;
  /** Moves the edge out (+1) or in (-1) by the chosen step (1-5 px). */
  grow(direction: 1 | -1): void;
  toggleVisible(): void;
  select(direction: 1 | -1): void;
}

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
  readonly viewer: ViewActions;
  readonly tools: ToolActions;
  readonly layerActions: LayerCommands;
  openPhoto(): void;
  exportImage(): void;
  saveProject(): void;
  closePhoto(): void;
  undo(): void;
  redo(): void;
  /** Esc: cancels a gesture or dialog first; otherwise resets the view. */
  escape(): void;
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
  'view.zoom-in': { when: photo, run: (a) => a.viewer.zoomIn() },
  'view.zoom-out': { when: photo, run: (a) => a.viewer.zoomOut() },
  'view.zoom-fit': { when: photo, run: (a) => a.viewer.zoomFit() },
  'view.zoom-actual': { when: photo, run: (a) => a.viewer.zoomActual() },
  'view.pan': { when: photo, run: (a) => a.viewer.panHold(true), release: (a) => a.viewer.panHold(false) },
  'view.compare-hold': { when: photo, run: (a) => a.viewer.compareHold(true), release: (a) => a.viewer.compareHold(false) },
  'view.compare-split': { when: photo, run: (a) => a.viewer.toggleSplit() },
  'view.toggle-overlay': { when: photo, run: (a) => a.viewer.toggleOverlay() },
  'view.overlay-outline': { when: photo, run: (a) => a.viewer.toggleOverlayOutline() },
  'view.next-mark': { when: photo, run: (a) => a.viewer.nextMark(1) },
  'view.previous-mark': { when: photo, run: (a) => a.viewer.nextMark(-1) },
  'view.toggle-panels': { run: (a) => a.togglePanels() },
  'view.escape': { run: (a) => a.escape() },
  'tool.brush': { when: photo, run: (a) => a.tools.setTool('brush') },
  'tool.eraser': { when: photo, run: (a) => a.tools.setTool('eraser') },
  'tool.lasso': { when: photo, run: (a) => a.tools.setTool('lasso') },
  'tool.rect': { when: photo, run: (a) => a.tools.setTool('rect') },
  'tool.snap': { when: photo, run: (a) => a.tools.toggleSnap() },
  'tool.size-down': { when: photo, run: (a) => a.tools.brushStep(-1) },
  'tool.size-up': { when: photo, run: (a) => a.tools.brushStep(1) },
  'layer.add': { when: photo, run: (a) => a.layerActions.add() },
  'layer.clear': { when: layer, run: (a) => a.layerActions.clear() },
  'layer.invert': { when: layer, run: (a) => a.layerActions.invert() },
  'layer.merge-down': { when: layer, run: (a) => a.layerActions.mergeDown() },
  'layer.grow': { when: layer, run: (a) => a.layerActions.grow(1) },
  'layer.shrink': { when: layer, run: (a) => a.layerActions.grow(-1) },
  'layer.delete': { when: layer, run: (a) => a.layerActions.delete() },
  'layer.detect': { when: (a) => a.hasPhoto && !a.detecting && !a.restoring, run: (a) => a.detectDamage() },
  'layer.toggle-visible': { when: layer, run: (a) => a.layerActions.toggleVisible() },
  'layer.select-up': { when: layer, run: (a) => a.layerActions.select(1) },
  'layer.select-down': { when: layer, run: (a) => a.layerActions.select(-1) },
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
