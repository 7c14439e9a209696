import type { DocumentInfo } from '@shared/ipc/documents';
import type { EditorScene } from '../fabric/editor-scene';
import type { DisplayImages } from './display-images';

/**
 * Which pixels the canvas shows for an image version: the preview at once,
 * the full-resolution view once the zoom would upscale the preview (more
 * than 1.25 screen pixels per preview pixel), and version 0 as the "before"
 * of the compare views.
 */
export class VersionDisplay {
  private shown = -1;
  private level: 'preview' | 'full' = 'preview';

  constructor(
    private readonly doc: DocumentInfo,
    private readonly images: DisplayImages,
    private readonly scene: EditorScene,
  ) {}

  /** Shows `version`; resolves when its preview (or already loaded full view) is on screen. */
  async show(version: number, zoom: number): Promise<void> {
    this.shown = version;
    const level = this.images.has(version, 'full') ? 'full' : 'preview';
    const image = await this.images.get(version, level);
    if (this.shown !== version) return;
    this.scene.setPhoto(image.element, image.width, image.height);
    this.level = level;
    await this.fitDetail(zoom);
  }

  async showBefore(): Promise<void> {
    const image = await this.images.get(0, 'preview');
    this.scene.setBefore(image.element, image.width, image.height);
  }

  /** Loads and swaps in the full view when the zoom needs it (after a zoom change). */
  async fitDetail(zoom: number): Promise<void> {
    const previewScale = this.doc.preview.width / this.doc.width;
    if (previewScale >= 1 || this.level === 'full' || zoom * (window.devicePixelRatio || 1) <= previewScale * 1.25) return;
    const version = this.shown;
    const [full, before] = await Promise.all([this.images.get(version, 'full'), version === 0 ? null : this.images.get(0, 'full')]);
    if (this.shown !== version) return;
    this.scene.setPhoto(full.element, full.width, full.height);
    this.level = 'full';
    if (before) this.scene.setBefore(before.element, before.width, before.height);
  }
}
