// Parse a GEXF or GraphML file with graphology's own parsers and print what they
// read as one JSON object, for tests/graph/test_gexf.py and test_graphml.py.
// Usage: node read_graph.mjs gexf|graphml FILE
import { readFileSync } from "node:fs";
import Graph from "graphology";
import gexf from "graphology-gexf/node/index.js";
import graphml from "graphology-graphml/node/index.js";

const [format, file] = process.argv.slice(2);
const parsers = { gexf, graphml };
if (!parsers[format] || !file) {
  console.error("usage: node read_graph.mjs gexf|graphml FILE");
  process.exit(2);
}
const graph = parsers[format].parse(Graph, readFileSync(file, "utf8"));

const attributeNames = (entries) => [...new Set(entries.flatMap((e) => Object.keys(e.attributes)))].sort();
const nodes = graph.mapNodes((node, attributes) => ({ node, attributes }));
const edges = graph.mapEdges((edge, attributes, source, target) => ({ edge, source, target, attributes }));
console.log(JSON.stringify({
  type: graph.type,
  multi: graph.multi,
  order: graph.order,
  size: graph.size,
  graphAttributes: graph.getAttributes(),
  nodeAttributeNames: attributeNames(nodes),
  edgeAttributeNames: attributeNames(edges),
  nodes: Object.fromEntries(nodes.map((n) => [n.node, n.attributes])),
  edges: Object.fromEntries(edges.map((e) => [e.edge, { source: e.source, target: e.target, ...e.attributes }])),
}));
