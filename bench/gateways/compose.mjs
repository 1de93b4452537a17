// Writes bench/gateways/supergraph.graphql: the four subgraphs composed by Apollo's composition.
// Usage: node compose.mjs BASE_URL   (the routing URLs are BASE_URL/accounts, ... ; the bench
// rewrites them to its own port at run time)
import { writeFileSync } from "node:fs";
import { composeServices } from "@apollo/composition";
import { printSchema } from "graphql";
import { SUBGRAPHS } from "./subgraphs/schemas.mjs";

const base = process.argv[2] ?? "http://127.0.0.1:4200";
const result = composeServices(
  Object.entries(SUBGRAPHS).map(([name, { typeDefs }]) => ({ name, typeDefs, url: `${base}/${name}` })),
);
if (result.errors) {
  for (const error of result.errors) console.error(error.message);
  process.exit(1);
}
for (const hint of result.hints ?? []) console.error(`hint: ${hint.message ?? hint.definition?.code}`);
writeFileSync(new URL("./supergraph.graphql", import.meta.url), result.supergraphSdl);
console.log("wrote supergraph.graphql");
