// elkjs (layered) on a layout workload of `cargo xtask bench`:
//   node layout.mjs <graph.json> [--budgetMs N --minRuns N --maxRuns N]
// The file is the graph Stepwise lays out: scopes (each Parallel branch and Map processor is
// one, inside its container node), nodes with their box sizes, edges by kind (Catch included).
// It becomes an ELK graph of the same shape: each scope a compound node holding its states and
// its edges, laid out top to bottom by the layered algorithm (the bundled build, run in this
// thread, no worker).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { measure, options, report, versionOf } from './timing.mjs';

const require = createRequire(import.meta.url);
const ELK = require('elkjs/lib/elk.bundled.js');
const { positional, named } = options({});
const graph = JSON.parse(readFileSync(positional[0], 'utf8'));

const layoutOptions = { 'elk.algorithm': 'layered', 'elk.direction': 'DOWN' };

function elkGraph() {
  const scopeNodes = graph.scopes.map((scope) => ({
    id: scope.id,
    layoutOptions,
    children: [],
    edges: [],
  }));
  const byId = new Map();
  for (const node of graph.nodes) {
    const elkNode = { id: node.id };
    if (!node.container) {
      elkNode.width = node.width;
      elkNode.height = node.height;
    } else {
      elkNode.layoutOptions = layoutOptions;
      elkNode.children = [];
    }
    byId.set(node.id, { elkNode, scope: node.scope });
    scopeNodes[node.scope].children.push(elkNode);
  }
  // A scope inside a container is a compound child of the container node.
  graph.scopes.forEach((scope, i) => {
    if (scope.container !== null) byId.get(scope.container).elkNode.children.push(scopeNodes[i]);
  });
  graph.edges.forEach((edge, i) => {
    const scope = byId.get(edge.source).scope;
    scopeNodes[scope].edges.push({ id: `e${i}`, sources: [edge.source], targets: [edge.target] });
  });
  return scopeNodes[0];
}

await report(async () => {
  const elk = new ELK();
  const timing = await measure(elkGraph, (g) => elk.layout(g), named);
  return {
    package: 'elkjs',
    version: versionOf('elkjs'),
    nodes: graph.nodes.length,
    edges: graph.edges.length,
    ...timing,
  };
});
