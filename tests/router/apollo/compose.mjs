// Compose subgraph SDLs with Apollo's reference composition.
// stdin: [{"name", "url", "sdl"}, ...]; stdout: {"supergraph", "hints"} or {"errors"} (exit 1).
import { readFileSync } from "node:fs";
import { parse } from "graphql";
import { composeServices } from "@apollo/composition";

const subgraphs = JSON.parse(readFileSync(0, "utf8"));
const result = composeServices(subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })));
if (result.errors) {
  process.stdout.write(JSON.stringify({ errors: result.errors.map((error) => error.message) }));
  process.exit(1);
}
process.stdout.write(JSON.stringify({ supergraph: result.supergraphSdl, hints: result.hints.map((hint) => hint.message) }));
