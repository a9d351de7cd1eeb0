// Load each HTML report in headless Chromium, run axe-core against WCAG 2.2 A and AA (and axe's
// best practices), save a full-page screenshot beside it, and print the violations as JSON.
// Usage: node axe_check.mjs REPORT.html [...]   (CHROMIUM overrides /usr/bin/chromium)
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  // The report must work offline: no network is needed, and this machine has none.
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"],
});
const results = {};
try {
  for (const file of process.argv.slice(2)) {
    const width = Number(process.env.VIEWPORT_WIDTH || 1280);  // 320: a phone, for reflow (WCAG 1.4.10)
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const requests = [];
    page.on("request", (r) => { if (!r.url().startsWith("file:")) requests.push(r.url()); });
    await page.goto(pathToFileURL(file).href);
    await page.addScriptTag({ path: axePath });
    const axe = await page.evaluate(() => window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
    }));
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    await page.screenshot({ path: file.replace(/\.html$/, width === 1280 ? ".png" : `-${width}.png`), fullPage: true });
    results[file] = {
      violations: axe.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => n.target.join(" ")) })),
      passes: axe.passes.length,
      sideways,
      requests,
    };
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(results, null, 2));
