/**
 * Output file name templates of the batch queue. Plain functions, no zod, so
 * the renderer can check a template as it is typed without pulling a schema
 * library into the page; `batch:start`'s schema applies the same check.
 *
 * A template is a file name (no folders) built from placeholders: {stem}
 * (input name without extension), {ext} (the output format's extension, no
 * dot), {index} (1-based position in the batch). It must end in `.{ext}` so
 * the name matches the format, and use {stem} or {index} to tell files apart.
 */

export const DEFAULT_NAME_TEMPLATE = '{stem}.{ext}';
export const NAME_TEMPLATE_TOKENS = ['stem', 'ext', 'index'] as const;
export const MAX_TEMPLATE_LENGTH = 200;

/** Why a template cannot be used, or null when it can. */
export function templateProblem(template: string): string | null {
  if (template.length === 0 || template.length > MAX_TEMPLATE_LENGTH) return `the template needs 1 to ${MAX_TEMPLATE_LENGTH} characters`;
  if (/[/\\]/.test(template)) return 'the template is a file name: no / or \\';
  if (!template.endsWith('.{ext}')) return 'the template must end in .{ext}';
  for (const m of template.matchAll(/\{([^}]*)\}/g)) {
    if (!(NAME_TEMPLATE_TOKENS as readonly string[]).includes(m[1]!)) return `unknown placeholder {${m[1]}}`;
  }
  if (!template.includes('{stem}') && !template.includes('{index}')) return 'the template needs {stem} or {index} to tell files apart';
  return null;
}
