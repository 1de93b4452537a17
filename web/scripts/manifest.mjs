// Turns GraphQL Code Generator's trusted documents (src/gql/persisted-documents.json, "sha256:<hex>"
// → printed operation) into the router's manifest format (Apollo's persisted query list) at
// schema/persisted/web.json: the router loads every manifest there, and a first-party caller may
// send any of their ids, so this file is what lets the app run under KCP_PERSISTED_FREEFORM=enforce.
// `--check` fails instead of writing when the committed manifest is stale.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "graphql";

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, "..", "src", "gql", "persisted-documents.json");
const target = join(here, "..", "..", "schema", "persisted", "web.json");

const documents = JSON.parse(readFileSync(source, "utf8"));
const operations = Object.entries(documents).map(([key, body]) => {
  const id = key.replace(/^sha256:/, "");
  if (createHash("sha256").update(body).digest("hex") !== id) {
    throw new Error(`${source}: ${key} is not the sha256 of its body`);
  }
  const definition = parse(body).definitions.find((d) => d.kind === "OperationDefinition");
  if (!definition?.name) throw new Error(`${source}: every operation needs a name (${key})`);
  return { id, name: definition.name.value, type: definition.operation, body };
});
operations.sort((a, b) => a.name.localeCompare(b.name));
const text = JSON.stringify({ format: "apollo-persisted-query-manifest", version: 1, operations }, null, 2) + "\n";

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {}
  if (current !== text) {
    console.error(`${target} is stale: run \`npm run codegen\` in web/ and commit it`);
    process.exit(1);
  }
  console.log(`${target}: ${operations.length} operations, current`);
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}: ${operations.length} operations`);
}
