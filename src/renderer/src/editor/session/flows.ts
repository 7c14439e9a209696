import { baseName } from '../../lib/format';
import { request } from '../../lib/ipc';
import { detectionLayer } from '../document/layer-ops';
import { encodeMaskPng } from '../mask/mask-png';
import { describeTone } from '../restore/tone';
import type { SessionHost } from './session-host';

/*
 * The editor's longer conversations with main, each one function over the
 * session: restore, find damage, export, save the project.
 */

/**
 * Restores the union of visible layers on the current image version (with
 * `everything`, also every mark earlier restores consumed), then, with Auto
 * tone on, tones the filled photo; with tone on and nothing marked, tone
 * only. The result, and the marks it consumes, are one undo step.
 */
export async function runRestore(s: SessionHost, everything = false): Promise<void> {
  const editor = s.core;
  const doc = s.doc;
  if (!editor || !doc || s.restoreRunner.running) return;
  const mask = editor.restoreMask({ everything });
  const tone = s.tone.request;
  if (mask.count === 0 && !tone) return s.notify('info', 'Mark the damage first: paint it on a visible mask layer, or turn Auto tone on');
  s.viewer.setCompare('off');
  // mask.data: photo size, 1 = fill; the PNG is 1-bit grey, white = fill (what restore:run reads).
  // No marks with tone on: no PNG, the engine tones the photo without filling anything.
  const png = mask.count > 0 ? await encodeMaskPng(mask.data, editor.width, editor.height) : null;
  s.shell.status = mask.count > 0 ? `Restoring ${doc.name}…` : `Toning ${doc.name}…`;
  const outcome = await s.restoreRunner.run(doc.id, editor.snapshot.imageVersion, png, tone);
  if (s.core !== editor) return;
  if (outcome.status === 'restored') {
    s.displayImages?.seed(outcome.version, 'preview', outcome.preview);
    editor.commitRestore(outcome.version, mask.data);
    if (outcome.tone) s.tone.consumed();
    // Show the result, not the marks on top of it; painting shows them again.
    s.viewer.setOverlayVisible(false);
    s.sync();
    const secs = outcome.totalMs !== null ? ` in ${(outcome.totalMs / 1000).toFixed(1)} s` : '';
    const mode = mask.count > 0 && outcome.qualityMode ? ` (${outcome.qualityMode} fill)` : '';
    // Fill first, then tone: the engine's fixed order, said in the same order.
    const toned = outcome.tone ? (mask.count > 0 ? `, then ${describeTone(outcome.tone)}` : `: ${describeTone(outcome.tone)}`) : '';
    s.say(`Restored ${doc.name}${secs}${mode}${toned}. Ctrl+Z undoes it; hold Tab to see the original.`);
  } else if (outcome.status === 'cancelled') {
    s.say('Restore cancelled; nothing changed');
  } else {
    s.fail(outcome.code === 'MODEL_MISSING' ? `No restoration model is installed: ${outcome.message}` : outcome.message);
  }
}

/**
 * Finds damage automatically. The first run adds a "Detected damage" layer;
 * later runs (another sensitivity, another detector) replace that layer's
 * marks instead of stacking layers, unless it was locked to keep it. Either
 * way one undo step. `live`: started by the sensitivity slider.
 */
export async function runDetect(s: SessionHost, live = false): Promise<void> {
  const editor = s.core;
  const doc = s.doc;
  if (!editor || !doc || s.detectRunner.running) return;
  s.shell.status = `Finding damage in ${doc.name}…`;
  const outcome = await s.detectRunner.run(doc.id, editor.snapshot.imageVersion, editor.width, editor.height);
  if (s.core !== editor) return;
  if (outcome.status === 'cancelled') return s.say('Damage detection cancelled');
  if (outcome.status === 'failed') return s.fail(outcome.message);
  const note = outcome.note ? ` (${outcome.note})` : '';
  const previous = detectionLayer(editor.layers);
  const found = outcome.summary || `${outcome.flagged} pixels`;
  const at = `at ${Math.round(outcome.sensitivity * 100)} % sensitivity`;
  if (previous) {
    s.apply(editor.replaceLayerMask(previous.id, outcome.bits, 'Find damage'));
    s.viewer.setOverlayVisible(true);
    s.say(outcome.flagged === 0 ? `No damage found ${at}; “${previous.name}” is empty${note}` : `Found ${found} ${at}: “${previous.name}” updated${note}`);
  } else if (outcome.flagged === 0) {
    s.say(`No damage found; mark it by hand with the brush${note}`);
  } else {
    s.apply(editor.addLayerWithMask('Detected damage', outcome.bits, 'detected'));
    s.viewer.setOverlayVisible(true);
    s.say(`Found ${found}: added as the layer “Detected damage”. Check it, then restore.${note}`);
  }
  // The slider moved on while this ran: catch up with where it is now.
  if (s.detectRunner.sensitivity !== outcome.sensitivity && (live || previous)) s.rethreshold();
}

/** The export dialog's Export / Save as… buttons. */
export async function finishExport(s: SessionHost, kind: 'planned' | 'save-as'): Promise<void> {
  const doc = s.doc;
  if (!doc) return;
  const flow = s.exportFlow;
  // What the preview shows is what is exported: Auto tone still on (not applied by a Restore) goes into the file.
  const tone = s.tone.request;
  const result = kind === 'planned' ? await flow.exportPlanned(doc, s.imageVersion, tone) : await flow.saveAs(doc, s.imageVersion, tone);
  if (!result) return;
  flow.open = false;
  s.say(`Exported ${baseName(result.path)} (${(result.bytes / 1_048_576).toFixed(1)} MB)${tone ? ' with Auto tone' : ''}`);
}

/** Saves layers (one 1-bit PNG each) and the head image to the project sidecar. */
export async function saveProject(s: SessionHost): Promise<void> {
  const editor = s.core;
  const doc = s.doc;
  if (!editor || !doc) return;
  await s.withBusy('Saving project…', async () => {
    const state = { ...editor.projectState(), tone: s.tone.choice };
    const masks = [];
    for (const layer of state.layers) masks.push(await encodeMaskPng(editor.mask(layer.id).data, editor.width, editor.height));
    const saved = await request('project:save', {
      id: doc.id,
      version: editor.snapshot.imageVersion,
      ...(s.projectPath ? { grant: s.projectPath.grant } : {}),
      state,
      masks,
    });
    s.projectPath = { path: saved.path, grant: saved.grant };
    s.resumeOffer = null;
    s.markSaved();
    s.say(`Saved project ${baseName(saved.path)}`);
  });
}
