// Open the HTML viewer in headless Chromium from file:// with every other request
// blocked, use it as a person would (search, type filter, tooltip), take a
// screenshot and print what was measured as one JSON object, for tests/graph/test_html.py.
// Usage: node open_viewer.mjs '{"html": ..., "screenshot": ..., "chromium": ...,
//                               "search": "临沂市", "filterType": "Place", "probeNode": id}'
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const plan = JSON.parse(process.argv[2]);
const profile = mkdtempSync(join(tmpdir(), "renda-viewer-"));
const result = { blockedRequests: [], consoleErrors: [] };
const context = await chromium.launchPersistentContext(profile, {
  executablePath: plan.chromium,
  headless: true,
  viewport: { width: 1600, height: 1000 },
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
    result.blockedRequests.push(url);
    return route.abort("blockedbyclient");
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("request", (request) => {
    const url = request.url();
    if (!/^(file|data|blob):/.test(url) && !result.blockedRequests.includes(url)) result.blockedRequests.push(url);
  });
  page.on("console", (message) => { if (message.type() === "error") result.consoleErrors.push(message.text()); });
  page.on("pageerror", (error) => result.consoleErrors.push(String(error)));

  const started = Date.now();
  await page.goto(pathToFileURL(plan.html).href);
  await page.waitForFunction(() => document.documentElement.dataset.viewer === "ready", null, { timeout: 120000 });
  result.readyMs = Date.now() - started;

  Object.assign(result, await page.evaluate(() => {
    const { network, nodes, edges } = window.rendaViewer;
    return {
      datasetNodes: nodes.length,
      datasetEdges: edges.length,
      drawnNodes: Object.keys(network.getPositions()).length,
      legend: [...document.querySelectorAll("input[data-type]")].map((box) => box.dataset.type),
    };
  }));
  await page.screenshot({ path: plan.screenshot });

  if (plan.probeNode !== undefined) {
    result.tooltip = await page.evaluate((id) => {
      const title = window.rendaViewer.nodes.get(id).title;
      return { text: title.textContent, elements: title.querySelectorAll("*").length,
        injected: title.querySelectorAll("img, script, b").length + document.querySelectorAll("img").length };
    }, plan.probeNode);
    result.pwned = await page.evaluate(() => window.pwned === true);
  }

  if (plan.filterType !== undefined) {
    await page.click(`input[data-type="${plan.filterType}"]`);
    result.drawnAfterFilter = await page.evaluate(() => Object.keys(window.rendaViewer.network.getPositions()).length);
    await page.click(`input[data-type="${plan.filterType}"]`);
    result.drawnAfterUnfilter = await page.evaluate(() => Object.keys(window.rendaViewer.network.getPositions()).length);
  }

  if (plan.search !== undefined) {
    // Search with the type filtered out again: a hit of a hidden type must show it.
    if (plan.filterType !== undefined) await page.click(`input[data-type="${plan.filterType}"]`);
    await page.fill("#search", plan.search);
    await page.press("#search", "Enter");
    result.searchSelected = await page.evaluate(() => window.rendaViewer.network.getSelectedNodes());
    result.searchStatus = await page.textContent("#search-status");
    result.drawnAfterSearch = await page.evaluate(() => Object.keys(window.rendaViewer.network.getPositions()).length);
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
