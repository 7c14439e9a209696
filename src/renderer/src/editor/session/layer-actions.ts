import type { LayerRecord } from '@shared/ipc/project';
import type { LayerCommands } from '../commands/editor-commands';
import type { Editor } from '../editor';
import type { Refusal } from '../refusal';

/** What the layer actions need of the session: the core, its mirrored layers, and the way back. */
export interface LayerHost {
  readonly core: Editor | null;
  readonly layers: readonly LayerRecord[];
  readonly activeLayerId: string | null;
  /** How far Grow and Shrink move the edge: the tool settings' grow step. */
  readonly tools: { readonly growStep: number };
  /** Shows a refusal's reason, then mirrors the core. */
  apply(result: Refusal | { id: string } | null | undefined): void;
  sync(): void;
}

/**
 * What the person does to mask layers (the layers panel, its rows, the
 * Layers commands): each is one editor call, one undo step, and a refusal
 * (a locked layer, the last one) said in words. Without an id they act on
 * the active layer.
 */
export class LayerActions implements LayerCommands {
  constructor(private readonly host: LayerHost) {}

  add(): void {
    this.host.apply(this.host.core?.addLayer());
  }

  delete(id = this.host.activeLayerId): void {
    if (id) this.host.apply(this.host.core?.deleteLayer(id));
  }

  clear(): void {
    this.host.apply(this.host.core?.clearLayer());
  }

  invert(): void {
    this.host.apply(this.host.core?.invertLayer());
  }

  grow(direction: 1 | -1): void {
    this.host.apply(this.host.core?.growLayer(direction * this.host.tools.growStep));
  }

  mergeDown(id = this.host.activeLayerId): void {
    if (id) this.host.apply(this.host.core?.mergeDown(id));
  }

  toggleVisible(id = this.host.activeLayerId): void {
    const layer = this.host.layers.find((l) => l.id === id);
    if (layer) this.host.apply(this.host.core?.setVisible(layer.id, !layer.visible));
  }

  toggleLocked(id: string): void {
    const layer = this.host.layers.find((l) => l.id === id);
    if (layer) this.host.apply(this.host.core?.setLocked(layer.id, !layer.locked));
  }

  rename(id: string, name: string): void {
    this.host.apply(this.host.core?.renameLayer(id, name));
  }

  setColor(id: string, color: string): void {
    this.host.apply(this.host.core?.setColor(id, color));
  }

  /** Moves a layer up (+1, towards the top) or down (-1) the stack. */
  move(id: string, direction: 1 | -1): void {
    const index = this.host.layers.findIndex((l) => l.id === id);
    if (index >= 0) this.host.apply(this.host.core?.moveLayer(id, index + direction));
  }

  select(direction: 1 | -1): void {
    const index = this.host.layers.findIndex((l) => l.id === this.host.activeLayerId);
    const next = this.host.layers[index + direction];
    if (next) this.setActive(next.id);
  }

  setActive(id: string): void {
    this.host.core?.setActive(id);
    this.host.sync();
  }
}
