// Open the HTML viewer in headless Chromium from file:// with every other request
// blocked, use it as a person would (filters, search, a click on a node, a click on a
// neighbour in the details panel, zooming), take screenshots and print what was
// measured as one JSON object, for tests/graph/test_html.py and benchmarks/bench_viewer.py.
// Usage: node open_viewer.mjs '{"html": ..., "chromium": ..., "screenshot": ..., "panelScreenshot": ...,
//   "search": "临沂市", "filterType": "Place", "filterRelation": "mentions", "province": id,
//   "click": true, "clickType": "CongressBody", "probeNode": id, "zoom": true, "timeoutMs": 120000}'
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
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--enable-unsafe-swiftshader",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

const shown = (page) => page.evaluate(() => ({
  nodes: window.rendaViewer.shownNodes(), edges: window.rendaViewer.shownEdges() }));
const overlaps = (labels) => {
  let count = 0;
  for (let a = 0; a < labels.length; a++) for (let b = a + 1; b < labels.length; b++) {
    const [x1, y1, w1, h1] = labels[a].box, [x2, y2, w2, h2] = labels[b].box;
    if (x1 < x2 + w2 && x2 < x1 + w1 && y1 < y2 + h2 && y2 < y1 + h1) count++;
  }
  return count;
};
const nextFrame = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

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
  await page.waitForFunction(() => document.documentElement.dataset.viewer === "ready", null,
    { timeout: plan.timeoutMs ?? 120000 });
  result.readyMs = Date.now() - started;
  await nextFrame(page);
  Object.assign(result, await page.evaluate(() => ({
    firstDrawMs: window.rendaViewer.timing.firstDrawMs,
    dataNodes: window.rendaViewer.data.nodes.length,
    dataEdges: window.rendaViewer.data.edges.length,
    legend: [...document.querySelectorAll("input[data-type]")].map((box) => box.dataset.type),
    relations: [...document.querySelectorAll("input[data-relation]")].map((box) => box.dataset.relation),
    provinces: [...document.querySelectorAll("#province option")].map((o) => [o.value, o.textContent]),
  })));
  const first = await shown(page);
  result.shownNodes = first.nodes;
  result.shownEdges = first.edges;
  const fitted = await page.evaluate(() => window.rendaViewer.drawnLabels());
  result.labelsAtFit = fitted.map((l) => l.node);
  result.labelOverlapsAtFit = overlaps(fitted);
  if (plan.screenshot) await page.screenshot({ path: plan.screenshot });

  if (plan.zoom) {
    // Zoom far in on the biggest node: more labels, still none over another.
    await page.evaluate(() => {
      const { renderer, data } = window.rendaViewer;
      let best = 0;
      data.nodes.forEach((n, i) => { if (n[5] > data.nodes[best][5]) best = i; });
      const d = renderer.getNodeDisplayData(String(best));
      renderer.getCamera().setState({ x: d.x, y: d.y, ratio: 0.08 });
    });
    await nextFrame(page);
    const zoomed = await page.evaluate(() => window.rendaViewer.drawnLabels());
    result.labelsZoomed = zoomed.length;
    result.labelOverlapsZoomed = overlaps(zoomed);
    result.onScreenZoomed = await page.evaluate(() => {
      const { renderer, graph } = window.rendaViewer;
      const el = document.getElementById("graph");
      let count = 0;
      graph.forEachNode((key) => {
        const p = renderer.framedGraphToViewport(renderer.getNodeDisplayData(key));
        if (p.x >= 0 && p.x <= el.offsetWidth && p.y >= 0 && p.y <= el.offsetHeight) count++;
      });
      return count;
    });
    await page.evaluate(() => window.rendaViewer.renderer.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 }));
    await nextFrame(page);
  }

  if (plan.colourByCommunity) {
    // Colour by community: every node takes its community's colour (the 12 biggest; grey after).
    const colours = () => page.evaluate(() => {
      const { renderer, graph, data } = window.rendaViewer;
      const out = [];
      graph.forEachNode((key) => out.push([data.nodes[+key][6], renderer.getNodeDisplayData(key).color]));
      return out;
    });
    await page.selectOption("#colour-by", "community");
    result.communityColours = await colours();
    await page.selectOption("#colour-by", "type");
    result.typeColours = await colours();
  }

  if (plan.filterType !== undefined) {
    await page.click(`input[data-type="${plan.filterType}"]`);
    result.shownAfterTypeFilter = await shown(page);
    await page.click(`input[data-type="${plan.filterType}"]`);
    result.shownAfterTypeUnfilter = await shown(page);
  }
  if (plan.filterRelation !== undefined) {
    await page.click(`input[data-relation="${plan.filterRelation}"]`);
    result.shownAfterRelationFilter = await shown(page);
    await page.click(`input[data-relation="${plan.filterRelation}"]`);
  }
  if (plan.province !== undefined) {
    const value = await page.evaluate((id) => String(window.rendaViewer.indexOf(id)), plan.province);
    await page.selectOption("#province", value);
    result.shownInProvince = await page.evaluate(() => {
      const { renderer, graph, data } = window.rendaViewer;
      const ids = [];
      graph.forEachNode((key) => { const d = renderer.getNodeDisplayData(key); if (!d.hidden) ids.push(data.nodes[+key][0]); });
      return ids;
    });
    await page.selectOption("#province", "-1");
  }

  if (plan.click) {
    // A real mouse click on the biggest node that no other node covers at its centre.
    const target = await page.evaluate((type) => {
      const { renderer, data } = window.rendaViewer;
      const order = data.nodes.map((n, i) => i).filter((i) => type === undefined || data.types[data.nodes[i][2]] === type)
        .sort((a, b) => data.nodes[b][5] - data.nodes[a][5] || a - b);
      // A pixel either side must pick it too: the click lands on whole pixels, and at
      // 40,000 nodes a neighbour of one or two pixels may sit half a pixel away.
      const around = [[0, 0], [1, 0], [-1, 0], [0, 1], [0, -1]];
      for (const i of order) {
        const p = renderer.framedGraphToViewport(renderer.getNodeDisplayData(String(i)));
        const x = Math.round(p.x), y = Math.round(p.y);
        if (around.every(([dx, dy]) => renderer.getNodeAtPosition({ x: x + dx, y: y + dy }) === String(i)))
          return { id: data.nodes[i][0], x, y };
      }
      return null;
    }, plan.clickType);
    const box = await page.locator("#graph").boundingBox();
    // Hovering first: the tooltip names the node.
    await page.mouse.move(box.x + target.x, box.y + target.y);
    await page.waitForSelector("#tooltip:not([hidden])", { timeout: 5000 }).catch(() => null);
    result.tooltip = await page.evaluate(() => {
      const tip = document.getElementById("tooltip");
      return tip.hidden ? null : tip.textContent;
    });
    const clickedAt = Date.now();
    await page.mouse.click(box.x + target.x, box.y + target.y);
    await page.waitForFunction((id) => document.documentElement.dataset.selected === id, target.id, { timeout: 10000 });
    await nextFrame(page);
    result.clickToPanelMs = Date.now() - clickedAt;
    result.clicked = target.id;
    result.panel = await page.evaluate(() => {
      const panel = document.getElementById("details");
      const count = (name) => {
        const s = panel.querySelector(`section[data-section="${name}"] h3`);
        return s ? Number(s.textContent.match(/\((\d+)\)$/)[1]) : 0;
      };
      return {
        visible: !panel.hidden, name: panel.querySelector(".node-name").textContent,
        type: panel.querySelector(".kind").textContent, text: panel.textContent,
        relationsOut: count("Relations out"), relationsIn: count("Relations in"), names: count("Names"),
        mentionedIn: count("Mentioned in"), evidence: count("Evidence"),
        selectMs: window.rendaViewer.timing.lastSelectMs,
      };
    });
    await page.mouse.move(box.x + 2, box.y + 2);        // off the node: the tooltip goes
    result.tooltipHiddenAfterLeaving = await page.evaluate(() => document.getElementById("tooltip").hidden);
    if (plan.panelScreenshot) await page.screenshot({ path: plan.panelScreenshot });
    // Clicking a neighbour in the panel moves there.
    const links = page.locator(["Relations out", "Relations in", "Names", "Mentioned in"]
      .map((name) => `#details section[data-section="${name}"] a.node-link`).join(", "));
    if (await links.count()) {
      const link = links.first();
      result.neighbour = await link.getAttribute("data-node");
      await link.click();
      await page.waitForFunction((id) => document.documentElement.dataset.selected === id, result.neighbour, { timeout: 10000 });
      result.panelAfterNeighbour = await page.evaluate(() => document.querySelector("#details .node-name").textContent);
    }
    await page.keyboard.press("Escape");
    result.panelHiddenAfterEscape = await page.evaluate(() => document.getElementById("details").hidden);
  }

  if (plan.probeNode !== undefined) {
    await page.evaluate((id) => window.rendaViewer.select(window.rendaViewer.indexOf(id), false), plan.probeNode);
    result.probe = await page.evaluate(() => {
      const panel = document.getElementById("details");
      return { text: panel.textContent,
        injected: panel.querySelectorAll("img, script, b, i, u").length + document.querySelectorAll("img").length };
    });
    result.pwned = await page.evaluate(() => window.pwned === true);
  }

  if (plan.search !== undefined) {
    // Search with the type filtered out again: a hit of a hidden type must show it.
    if (plan.filterType !== undefined) await page.click(`input[data-type="${plan.filterType}"]`);
    await page.fill("#search", plan.search);
    await page.press("#search", "Enter");
    result.searchSelected = await page.evaluate(() => document.documentElement.dataset.selected ?? null);
    result.searchStatus = await page.textContent("#search-status");
    result.shownAfterSearch = await shown(page);
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
