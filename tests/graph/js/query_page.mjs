// Use the query page of `renda-kg serve` in headless Chromium as a person would: pick
// an example from the menu and run it, type a query into the editor with the keyboard
// and run it, click an IRI in the results table, read the node page. Every request the
// page makes is recorded, and any that is not to loopback is blocked. Prints what was
// seen as one JSON object, for tests/graph/test_query_page.py.
// Usage: node query_page.mjs '{"url": "http://127.0.0.1:PORT/", "chromium": ..., "example": name,
//                              "query": text to type, "queryShot": png, "nodeShot": png}'
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const plan = JSON.parse(process.argv[2]);
const profile = mkdtempSync(join(tmpdir(), "renda-query-page-"));
const result = { requests: [], blockedRequests: [], consoleErrors: [] };
const loopback = (url) => {
  if (/^(data|blob):/.test(url)) return true;
  try {
    const { protocol, hostname } = new URL(url);
    return (protocol === "http:" || protocol === "https:") && ["127.0.0.1", "localhost", "[::1]"].includes(hostname);
  } catch {
    return false;
  }
};

const context = await chromium.launchPersistentContext(profile, {
  executablePath: plan.chromium,
  headless: true,
  viewport: { width: 1400, height: 900 },
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (loopback(url)) return route.continue();
    result.blockedRequests.push(url);
    return route.abort("blockedbyclient");
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("request", (request) => result.requests.push(request.url()));
  page.on("console", (message) => { if (message.type() === "error") result.consoleErrors.push(message.text()); });
  page.on("pageerror", (error) => result.consoleErrors.push(String(error)));

  const tableRows = () => page.evaluate(() =>
    [...document.querySelectorAll(".yasr table.dataTable tbody tr")]
      .filter((row) => !row.querySelector(".dt-empty"))
      .map((row) => [...row.querySelectorAll("td")].slice(1).map((cell) => cell.textContent.trim())));
  const editorText = () => page.evaluate(() => window.rendaQueryPage.yasgui.getTab().getYasqe().getValue());
  // Run what the editor holds with the query button; resolves once the endpoint
  // answered and the table shows the rows.
  async function run() {
    const answered = page.waitForResponse((response) =>
      new URL(response.url()).pathname === "/sparql" && response.request().method() === "POST");
    await page.click(".yasqe_queryButton");
    const response = await answered;
    result.lastStatus = response.status();
    const bindings = (await response.json()).results.bindings.length;
    await page.waitForFunction((n) =>
      [...document.querySelectorAll(".yasr table.dataTable tbody tr")].filter((row) => !row.querySelector(".dt-empty")).length
        === Math.min(n, 50), bindings, { timeout: 30000 });
    return { bindings, rows: await tableRows() };
  }

  const started = Date.now();
  await page.goto(plan.url);
  await page.waitForFunction(() => document.documentElement.dataset.queryPage === "ready", null, { timeout: 60000 });
  result.readyMs = Date.now() - started;
  result.shareVisible = await page.isVisible(".yasqe_share");
  result.autocompleters = await page.evaluate(() =>
    window.rendaQueryPage.yasgui.getTab().getYasqe().config.autocompleters);
  result.menu = await page.evaluate(() => [...document.querySelectorAll("#examples option")].map((o) => o.value).filter(Boolean));
  result.initialQuery = await editorText();

  // An example from the menu.
  await page.selectOption("#examples", plan.example);
  result.exampleQuery = await editorText();
  result.menuAfterPick = await page.inputValue("#examples");
  result.example = await run();

  // A query typed with the keyboard into the editor (CodeMirror), replacing the example.
  await page.click(".yasqe .CodeMirror-code");
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.type(plan.query);
  result.typedQuery = await editorText();
  result.menuAfterTyping = await page.inputValue("#examples");
  result.typed = await run();
  result.header = await page.evaluate(() =>
    [...document.querySelectorAll(".yasr table.dataTable thead th")].map((th) => th.textContent.trim()));
  result.nodeLinks = await page.evaluate(() => document.querySelectorAll(".yasr a.renda-node").length);
  await page.screenshot({ path: plan.queryShot });

  // Follow the first node link of the table to its node page.
  const link = page.locator(".yasr a.renda-node").first();
  result.clickedIri = await link.getAttribute("data-iri");
  result.clickedHref = await link.getAttribute("href");
  await Promise.all([page.waitForURL("**/node?iri=**"), link.click()]);
  result.nodeUrl = page.url();
  result.nodeName = await page.textContent("#name");
  result.nodeType = await page.textContent("#type");
  result.nodeSections = await page.evaluate(() => [...document.querySelectorAll("main section h2")].map((h) => h.textContent));
  // Open the first relation's evidence, so the screenshot shows what the page holds.
  result.openedEvidence = await page.evaluate(() => {
    const box = document.querySelector("main details");
    if (box) box.open = true;
    return box ? box.querySelectorAll("li").length : 0;
  });
  await page.screenshot({ path: plan.nodeShot, fullPage: true });
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
