/**
 * The README's picture of a report: `npx tsx packages/core/test/report/screenshot.ts report/report.html docs/report.png`
 * after `pnpm demo`. The top of the page (headline and the first charts) in headless Chromium, as a PNG.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';

const [page, png] = process.argv.slice(2);
if (!page || !png) throw new Error('usage: screenshot.ts <report.html> <out.png>');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const tab = await browser.newPage({ viewport: { width: 1000, height: 1250 }, deviceScaleFactor: 1 });
  await tab.goto(pathToFileURL(resolve(page)).href);
  await tab.screenshot({ path: png, fullPage: false });
} finally {
  await browser.close();
}
