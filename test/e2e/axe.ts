import AxeBuilder from '@axe-core/playwright';
import type { Page, TestInfo } from '@playwright/test';
import { expect } from './fixtures';

/*
 * axe-core over the live page. Every rule axe ships runs (WCAG 2.x A/AA and
 * best practice); a view passes when nothing serious or critical is left.
 * Each view's full result, moderate and minor included, is attached to the
 * test and printed as one line, so a regression shows up by view and impact.
 */

const BLOCKING = new Set(['serious', 'critical']);

export interface AxeSummary {
  readonly view: string;
  /** Violations (nodes) by impact. */
  readonly byImpact: Record<string, number>;
  /** "rule (impact) x nodes" for each violated rule. */
  readonly rules: string[];
}

export async function axeCheck(page: Page, testInfo: TestInfo, view: string): Promise<AxeSummary> {
  // Transitions settle first: axe reads computed colours, and a fading dialog is half its contrast.
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
  const results = await new AxeBuilder({ page }).analyze();
  const byImpact: Record<string, number> = {};
  const rules: string[] = [];
  for (const v of results.violations) {
    const impact = v.impact ?? 'unknown';
    byImpact[impact] = (byImpact[impact] ?? 0) + v.nodes.length;
    rules.push(`${v.id} (${impact}) x${v.nodes.length}`);
  }
  const summary: AxeSummary = { view, byImpact, rules };
  await testInfo.attach(`axe ${view}`, { contentType: 'application/json', body: JSON.stringify(results.violations, null, 2) });
  console.log(`axe ${view}: ${JSON.stringify(byImpact)} ${rules.join('; ')}`);
  const blocking = results.violations
    .filter((v) => BLOCKING.has(v.impact ?? ''))
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n')}`);
  expect.soft(blocking, `serious or critical axe violations in ${view}`).toEqual([]);
  // Landmarks and headings a screen reader navigates by: one banner, main and footer, one level-one heading.
  const outline = await page.evaluate(() => ({
    h1: document.querySelectorAll('.shell h1').length,
    banner: document.querySelectorAll('header.top-bar').length,
    main: document.querySelectorAll('main').length,
    contentinfo: document.querySelectorAll('footer').length,
  }));
  expect.soft(outline, `landmarks and headings in ${view}`).toEqual({ h1: 1, banner: 1, main: 1, contentinfo: 1 });
  return summary;
}
