// Load each HTML report in headless Chromium, run axe-core against WCAG 2.2 A and AA (and axe's
// best practices), save full-page screenshots beside it at 1280 px and at 320 px (a phone, and 400%
// zoom of a desktop), and print as JSON the violations, whether the page scrolls sideways at 320 px,
// the smallest chart text a reader would see there, and the focus style of the first link.
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
    // The focus style of a link: its outline colour and width and the background behind it.
    const focus = await page.evaluate(() => {
      const link = document.querySelector("main a, nav a");
      if (!link) return null;
      link.focus();
      const style = getComputedStyle(link);
      return { outline: style.outlineColor, width: style.outlineWidth, background: style.backgroundColor,
               shadow: style.boxShadow };
    });
    await page.setViewportSize({ width: 320, height: 900 });
    const narrow = await page.evaluate(() => {
      const charts = [...document.querySelectorAll("svg.chart")].filter((svg) => svg.getBoundingClientRect().width > 0);
      let smallest = null;
      for (const svg of charts) {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        for (const text of svg.querySelectorAll("text")) {
          const size = parseFloat(text.getAttribute("font-size") || "16") * scale;
          smallest = smallest === null ? size : Math.min(smallest, size);
        }
      }
      const focusable = [...document.querySelectorAll(".table-wrap")].every((w) => w.tabIndex === 0);
      return { scrollWidth: document.documentElement.scrollWidth, smallestChartText: smallest,
               tableBoxesFocusable: focusable };
    });
    await page.screenshot({ path: file.replace(/\.html$/, "-320.png"), fullPage: true });
    results[file] = {
      focus,
      narrow,
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
