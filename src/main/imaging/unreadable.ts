/*
 * A photo the decoder cannot read, in the person's words. One sentence for the
 * CLI, the batch report and the editor alike; the decoder's own text (e.g.
 * "VipsJpeg: premature end of JPEG image") travels separately as the detail.
 */

/** What happened and what to do; `label` names the file as the person knows it. */
export function unreadablePhotoMessage(label: string): string {
  return `Cannot read ${label}: the file is damaged, cut short or not an image; try a fresh copy of the scan`;
}

/** The library's words for the details line. */
export function libraryWords(err: unknown): string {
  return err instanceof Error ? err.message.trim() : String(err);
}
