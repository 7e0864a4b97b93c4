// The query page of `renda-kg serve`: YASGUI on this server's endpoint, the examples
// of queries/ in a menu, and IRIs of this graph's nodes in the results table linked to
// their node page. Nothing here or in YASGUI may call another origin: the
// autocompleters that ask prefix.cc or Linked Open Vocabularies are off, the endpoint
// catalogue lists this endpoint only, tabs are not saved, and the share button (whose
// links this page would not read back) is hidden by pages.css. The page's
// Content-Security-Policy (connect-src 'self') stops a query sent anywhere else.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("renda-config").textContent);
  const endpoint = new URL(config.endpoint, window.location.href).href;

  // Yasqe registers four autocompleters; "property" and "class" fetch from
  // lov.linkeddata.es. Only the local ones stay ("prefixes" uses its bundled list
  // since prefixCcApi is null). Changed in place: Yasgui's config merge copies arrays
  // index by index, so a shorter list passed as an option would keep the others.
  const local = ["variables", "prefixes"];
  for (const defaults of [Yasgui.Yasqe.defaults, Yasgui.defaults.yasqe]) {
    if (defaults && Array.isArray(defaults.autocompleters)) defaults.autocompleters.splice(0, Infinity, ...local);
    if (defaults) Object.assign(defaults, { prefixCcApi: null, editorHeight: "220px" });
  }

  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    copyEndpointOnNewTab: true,
    populateFromUrl: false,
    persistenceId: null,        // no saved tabs: a page always queries the server that served it
    corsProxy: undefined,
    yasr: { pluginOrder: ["table", "response"], defaultPlugin: "table" },
  });

  const examples = new Map(config.examples.map((example) => [example.name, example]));
  const menu = document.getElementById("examples");
  function currentTab() { return yasgui.getTab(); }
  menu.addEventListener("change", () => {
    const example = examples.get(menu.value);
    if (example) currentTab().setQuery(example.text);
  });
  if (config.examples.length) currentTab().setQuery(config.examples[0].text);
  // The menu names the example while the editor holds it, and nothing once it is edited.
  function syncMenu() {
    const example = examples.get(menu.value);
    if (example && currentTab().getQuery() !== example.text) menu.value = "";
  }
  const watched = new WeakSet();
  function watch() {
    const yasqe = currentTab().getYasqe();
    if (yasqe && !watched.has(yasqe)) {
      watched.add(yasqe);
      yasqe.on("change", syncMenu);
    }
    syncMenu();
  }
  watch();
  yasgui.on("tabSelect", () => setTimeout(watch));

  // A node IRI of this graph: the build's base, then a segment that is a node type
  // (evidence/, assertion/, observation/ and role/ IRIs are not nodes).
  function isNode(iri) {
    if (!config.nodeBase || !iri.startsWith(config.nodeBase)) return false;
    const segment = iri.slice(config.nodeBase.length).split("/")[0];
    return segment !== "" && !config.otherSegments.includes(segment);
  }
  function linkNodes(root) {
    for (const anchor of root.querySelectorAll("a.iri:not([data-iri])")) {
      const iri = anchor.getAttribute("href") || "";
      anchor.dataset.iri = iri;
      if (!isNode(iri)) continue;
      anchor.setAttribute("href", "/node?iri=" + encodeURIComponent(iri));
      anchor.setAttribute("target", "_self");
      anchor.removeAttribute("ref");
      anchor.classList.add("renda-node");
    }
  }
  // The table is drawn (and redrawn per results page) by YASR and DataTables: rewrite
  // each link as it appears.
  new MutationObserver(() => linkNodes(yasgui.rootEl)).observe(yasgui.rootEl, { childList: true, subtree: true });

  window.rendaQueryPage = { yasgui: yasgui, isNode: isNode };
  document.documentElement.dataset.queryPage = "ready";
})();
