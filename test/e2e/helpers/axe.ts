import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';

const AXE = resolve(__dirname, '..', '..', '..', 'node_modules', 'axe-core', 'axe.min.js');

/** axe-core's WCAG 2.1 A/AA rules on one part of the page: the serious and critical violations, as short lines. */
export async function axeViolations(page: Page, selector: string): Promise<string[]> {
  // addScriptTag would insert an inline <script>, which the page's CSP (script-src 'self') blocks;
  // the DevTools protocol's evaluate is not subject to it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(readFileSync(AXE, 'utf8'));
  return page.evaluate(async (sel) => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run({ include: [sel] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)).join(', ')}`);
  }, selector);
}
