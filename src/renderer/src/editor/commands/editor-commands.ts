import type { MenuCommand } from '@shared/ipc/menu';
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

/** Every editor command. Keys are data: the shortcuts overlay is generated from this list. */
export const EDITOR_COMMANDS: readonly Command<C>[] = [
  { id: 'file.open', label: 'Open photo or project…', group: 'File', keys: ['Mod+O'], run: (a) => a.openPhoto() },
  { id: 'file.save-project', label: 'Save project', group: 'File', keys: ['Mod+S'], when: photo, run: (a) => a.saveProject() },
  { id: 'file.export', label: 'Export restored photo…', group: 'File', keys: ['Mod+Shift+E'], when: photo, run: (a) => a.exportImage() },
  { id: 'file.close', label: 'Close photo', group: 'File', keys: ['Mod+W'], when: (a) => a.hasDocument, run: (a) => a.closePhoto() },

  { id: 'edit.undo', label: 'Undo', group: 'Edit', keys: ['Mod+Z'], kind: 'repeat', when: (a) => a.hasPhoto && a.canUndo && !a.restoring, run: (a) => a.undo() },
  {
    id: 'edit.redo',
    label: 'Redo',
    group: 'Edit',
    keys: ['Mod+Shift+Z', 'Mod+Y'],
    kind: 'repeat',
    when: (a) => a.hasPhoto && a.canRedo && !a.restoring,
    run: (a) => a.redo(),
  },

  { id: 'view.zoom-in', label: 'Zoom in', group: 'View', keys: ['+', '=', 'Mod+=', 'Mod++'], kind: 'repeat', when: photo, run: (a) => a.zoomIn() },
  { id: 'view.zoom-out', label: 'Zoom out', group: 'View', keys: ['-', 'Mod+-'], kind: 'repeat', when: photo, run: (a) => a.zoomOut() },
  { id: 'view.zoom-fit', label: 'Fit to window', group: 'View', keys: ['Mod+0', '0'], when: photo, run: (a) => a.zoomFit() },
  { id: 'view.zoom-actual', label: 'Actual size (100 %)', group: 'View', keys: ['Mod+1', '1'], when: photo, run: (a) => a.zoomActual() },
  { id: 'view.pan', label: 'Pan (hold and drag)', group: 'View', keys: ['Space'], kind: 'hold', when: photo, run: (a) => a.panHold(true), release: (a) => a.panHold(false) },
  {
    id: 'view.compare-hold',
    label: 'Show the original (hold)',
    group: 'View',
    keys: ['Tab'],
    kind: 'hold',
    when: photo,
    run: (a) => a.compareHold(true),
    release: (a) => a.compareHold(false),
  },
  { id: 'view.compare-split', label: 'Before/after split view', group: 'View', keys: ['C'], when: photo, run: (a) => a.toggleSplit() },
  { id: 'view.toggle-overlay', label: 'Show or hide the mask overlay', group: 'View', keys: ['O'], when: photo, run: (a) => a.toggleOverlay() },
  {
    id: 'view.overlay-outline',
    label: 'High-contrast outlines for the marks',
    group: 'View',
    keys: ['Shift+O'],
    when: photo,
    run: (a) => a.toggleOverlayOutline(),
  },
  { id: 'view.next-mark', label: 'Zoom to the next mark', group: 'View', keys: ['N'], when: photo, run: (a) => a.nextMark(1) },
  { id: 'view.previous-mark', label: 'Zoom to the previous mark', group: 'View', keys: ['Shift+N'], when: photo, run: (a) => a.nextMark(-1) },
  { id: 'view.toggle-panels', label: 'Show or hide panels', group: 'View', keys: ['Mod+\\'], run: (a) => a.togglePanels() },
  { id: 'view.escape', label: 'Cancel, or reset the view', group: 'View', keys: ['Escape'], run: (a) => a.escape() },

  { id: 'tool.brush', label: 'Brush', group: 'Tools', keys: ['B'], when: photo, run: (a) => a.setTool('brush') },
  { id: 'tool.eraser', label: 'Eraser', group: 'Tools', keys: ['E'], when: photo, run: (a) => a.setTool('eraser') },
  { id: 'tool.lasso', label: 'Lasso (Alt erases)', group: 'Tools', keys: ['L'], when: photo, run: (a) => a.setTool('lasso') },
  { id: 'tool.rect', label: 'Rectangle (Alt erases)', group: 'Tools', keys: ['R'], when: photo, run: (a) => a.setTool('rect') },
  { id: 'tool.snap', label: 'Snap the brush to damage (on or off)', group: 'Tools', keys: ['S'], when: photo, run: (a) => a.toggleSnap() },
  { id: 'tool.size-down', label: 'Smaller brush (or Alt+wheel)', group: 'Tools', keys: ['['], kind: 'repeat', when: photo, run: (a) => a.brushStep(-1) },
  { id: 'tool.size-up', label: 'Larger brush (or Alt+wheel)', group: 'Tools', keys: [']'], kind: 'repeat', when: photo, run: (a) => a.brushStep(1) },

  { id: 'layer.add', label: 'New mask layer', group: 'Layers', keys: ['Mod+Shift+N'], when: photo, run: (a) => a.addLayer() },
  { id: 'layer.clear', label: 'Clear layer', group: 'Layers', keys: ['Delete', 'Backspace'], when: layer, run: (a) => a.clearLayer() },
  { id: 'layer.invert', label: 'Invert layer', group: 'Layers', keys: ['Mod+I'], when: layer, run: (a) => a.invertLayer() },
  { id: 'layer.merge-down', label: 'Merge down', group: 'Layers', keys: ['Mod+E'], when: layer, run: (a) => a.mergeDown() },
  { id: 'layer.grow', label: 'Grow the marks on the layer', group: 'Layers', keys: [], when: layer, run: (a) => a.growLayer(1) },
  { id: 'layer.shrink', label: 'Shrink the marks on the layer', group: 'Layers', keys: [], when: layer, run: (a) => a.growLayer(-1) },
  { id: 'layer.delete', label: 'Delete layer', group: 'Layers', keys: ['Mod+Backspace', 'Mod+Delete'], when: layer, run: (a) => a.deleteLayer() },
  {
    id: 'layer.detect',
    label: 'Find damage automatically',
    group: 'Layers',
    keys: ['Mod+Shift+D'],
    when: (a) => a.hasPhoto && !a.detecting && !a.restoring,
    run: (a) => a.detectDamage(),
  },
  { id: 'layer.toggle-visible', label: 'Show or hide layer', group: 'Layers', keys: ['H'], when: layer, run: (a) => a.toggleLayerVisible() },
  { id: 'layer.select-up', label: 'Select layer above', group: 'Layers', keys: ['Alt+Up'], when: layer, run: (a) => a.selectLayer(1) },
  { id: 'layer.select-down', label: 'Select layer below', group: 'Layers', keys: ['Alt+Down'], when: layer, run: (a) => a.selectLayer(-1) },

  { id: 'restore.run', label: 'Restore marked areas', group: 'Restore', keys: ['Shift+R'], when: (a) => a.canRestore, run: (a) => a.restore() },
  {
    id: 'restore.everything',
    label: 'Restore everything again',
    group: 'Restore',
    keys: ['Alt+Shift+R'],
    when: (a) => a.canRestoreEverything,
    run: (a) => a.restoreEverything(),
  },
  { id: 'restore.cancel', label: 'Cancel restoring', group: 'Restore', keys: [], when: (a) => a.restoring, run: (a) => a.cancelRestore() },

  { id: 'help.shortcuts', label: 'Keyboard shortcuts', group: 'Help', keys: ['?', 'Mod+/'], run: (a) => a.showShortcuts() },
];

/** Application-menu items the editor answers, by the command they run. */
export const MENU_TO_COMMAND: Readonly<Partial<Record<MenuCommand, string>>> = {
  'file.open-image': 'file.open',
  'file.save-project': 'file.save-project',
  'file.export': 'file.export',
  'file.close': 'file.close',
  'edit.undo': 'edit.undo',
  'edit.redo': 'edit.redo',
  'view.zoom-in': 'view.zoom-in',
  'view.zoom-out': 'view.zoom-out',
  'view.zoom-fit': 'view.zoom-fit',
  'view.zoom-actual': 'view.zoom-actual',
  'help.shortcuts': 'help.shortcuts',
};
