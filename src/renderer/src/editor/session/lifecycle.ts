import type { DocumentInfo } from '@shared/ipc/documents';
import type { GrantedPath } from '@shared/ipc/grants';
import type { ProjectOpenResult, ProjectState } from '@shared/ipc/project';
import { baseName } from '../../lib/format';
import { request } from '../../lib/ipc';
import { LAYER_COLORS } from '../document/layer-ops';
import { Editor } from '../editor';
import { DisplayImages } from './display-images';
import type { SessionHost } from './session-host';
import { fetchMasks } from './fetch-masks';
import { saveProject } from './flows';

/*
 * Opening and closing photos and projects: main opens the file and answers
 * facts plus a preview URL; the session then builds the editor core for it.
 */

export async function openWithDialog(s: SessionHost): Promise<void> {
  try {
    const { files } = await request('dialog:open-image', { title: 'Open Photo', projects: true });
    if (files[0]) await openGranted(s, files[0]);
  } catch (err) {
    s.fail(`Could not open the file dialog: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Opens a photo or a .patina project main granted (a dialog, the recent list, a drop). */
export async function openGranted(s: SessionHost, file: GrantedPath): Promise<void> {
  if (/\.patina$/i.test(file.path)) return openProject(s, file);
  await s.withBusy(`Opening ${baseName(file.path)}…`, async () => {
    const info = await request('document:open', { grant: file.grant });
    if (await adopt(s, info)) s.resumeOffer = info.sidecar;
  });
}

/** Opens the photo of a batch item (the Batch view's Open button); main knows where it is. */
export async function openBatchPhoto(s: SessionHost, batchId: string, itemId: number, name: string): Promise<void> {
  await s.withBusy(`Opening ${baseName(name)}…`, async () => {
    const info = await request('document:open', { batchId, itemId });
    if (await adopt(s, info)) s.resumeOffer = info.sidecar;
  });
}

export async function openFile(s: SessionHost, file: File): Promise<void> {
  const granted = (await window.patina?.grantFile(file)) ?? null;
  if (granted) return openGranted(s, granted);
  await s.withBusy(`Opening ${file.name}…`, async () => {
    const bytes = new Uint8Array(await file.arrayBuffer());
    await adopt(s, await request('document:import', { name: file.name, bytes }));
  });
}

export async function openProject(s: SessionHost, file: GrantedPath): Promise<void> {
  const name = baseName(file.path);
  await s.withBusy(`Opening project ${name}…`, async () => {
    const opened = await request('project:open', { grant: file.grant });
    if (!(await adopt(s, opened.document, opened))) return;
    s.projectPath = opened.project;
    s.say(opened.photoChanged ? `Opened ${name}; the photo has changed since it was saved` : `Opened project ${name}`);
  });
}

const MASK_SOURCE_WORDS = { auto: 'found automatically', file: 'from the mask file', sidecar: 'saved from the editor', none: '' } as const;

/**
 * A restored batch item: the batch's output as the current image (Tab or
 * Compare shows the original) and the mask it filled as an editable layer,
 * so a bad mask can be corrected and the photo restored again.
 */
export async function openBatchResult(s: SessionHost, batchId: string, itemId: number): Promise<void> {
  await s.withBusy('Opening the batch result…', async () => {
    const opened = await request('batch:open-item', { batchId, itemId });
    if (!(await adopt(s, opened.document, opened))) return;
    s.viewer.setOverlayVisible(opened.maskPixels > 0);
    s.say(
      opened.maskSource === 'none'
        ? `Opened the batch result of ${opened.document.name} (tone only, no mask); hold Tab to see the original`
        : `Opened the batch result of ${opened.document.name} with the mask it used (${MASK_SOURCE_WORDS[opened.maskSource]}) as a layer: fix the marks and Restore to fill again; hold Tab to see the original`,
    );
  });
}

/** Closes the open photo, asking first when there is unsaved work; false when the person kept it. */
export async function closeDocument(s: SessionHost): Promise<boolean> {
  const doc = s.doc;
  if (!doc) return true;
  if (s.unsaved) {
    const choice = await s.feedback.choose({
      title: `Close ${doc.name}?`,
      message: 'Marks and restores since the project was last saved will be lost unless you save the project (layers, marks and the latest result, beside the photo).',
      confirmLabel: 'Close without saving',
      danger: true,
      alternativeLabel: 'Save and close',
    });
    if (choice === 'cancel') return false;
    if (choice === 'alternative') {
      await saveProject(s);
      // A failed save has said why; the photo stays open so nothing is lost.
      if (s.doc !== doc || s.unsaved) return false;
    }
  }
  if (s.restoreRunner.running) await s.restoreRunner.cancel();
  if (s.detectRunner.running) await s.detectRunner.cancel();
  s.uninstall();
  s.shell.status = `Closed ${doc.name}`;
  await request('document:close', { id: doc.id }).catch(() => undefined);
  void s.loadRecent();
  return true;
}

/** Replaces the open photo (if the person lets it go) with a newly opened one; false when kept. */
async function adopt(s: SessionHost, info: DocumentInfo, project?: Pick<ProjectOpenResult, 'head' | 'state' | 'masks'>): Promise<boolean> {
  if (s.doc && !(await closeDocument(s))) {
    // The person kept the open photo: let main forget the one just opened.
    await request('document:close', { id: info.id }).catch(() => undefined);
    return false;
  }
  const editor = new Editor(info.width, info.height);
  const images = new DisplayImages((version, level) => request('document:view', { id: info.id, version, level }));
  images.seed(0, 'preview', info.preview);
  if (project) {
    images.seed(project.head.version, 'preview', project.head.preview);
    editor.load(project.state, await fetchMasks(project.masks, info.width, info.height), project.head.version);
  } else {
    // A first, empty layer to paint on: part of the starting state, not an undo step.
    editor.load(firstLayerState(), new Map(), 0);
  }
  s.install(info, editor, images);
  // The project's Tone & colour settings come back with it; a photo opened on its own starts with tone off.
  s.tone.restore(project?.state.tone);
  return true;
}

function firstLayerState(): ProjectState {
  return {
    layers: [{ id: 'damage', name: 'Damage', color: LAYER_COLORS[0], visible: true, locked: false }],
    activeLayerId: 'damage',
    overlayOpacity: 0.55,
    restoreRuns: 0,
  };
}
