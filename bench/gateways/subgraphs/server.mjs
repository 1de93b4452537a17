// Serves the four benchmark subgraphs on one port: POST /accounts, /inventory, /products, /reviews.
//
// They must cost next to nothing, so the gateway under test is the bottleneck: the data is
// static, so a response is a pure function of the request body, and each distinct body is
// executed once with graphql-js and then answered from memory (bounded, cleared when full).
// Usage: node server.mjs PORT
import http from "node:http";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { execute, parse, validate } from "graphql";
import { SUBGRAPHS } from "./schemas.mjs";

const MEMO_LIMIT = 10_000;
const schemas = Object.fromEntries(
  Object.entries(SUBGRAPHS).map(([name, module]) => [`/${name}`, buildSubgraphSchema([module])]),
);
const memo = new Map();
// Requests answered, read by the bench (GET /stats) to count a gateway's subgraph calls.
let requests = 0;

async function answer(path, body) {
  const schema = schemas[path];
  let request;
  try {
    request = JSON.parse(body);
  } catch {
    return [400, JSON.stringify({ errors: [{ message: "the body is not JSON" }] })];
  }
  let document;
  try {
    document = parse(request.query);
  } catch (error) {
    return [400, JSON.stringify({ errors: [{ message: error.message }] })];
  }
  const errors = validate(schema, document);
  if (errors.length > 0) return [400, JSON.stringify({ errors })];
  const result = await execute({
    schema,
    document,
    variableValues: request.variables,
    operationName: request.operationName,
  });
  return [200, JSON.stringify(result)];
}

const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url === "/health") {
    res.end("OK");
    return;
  }
  if (req.method === "GET" && req.url === "/stats") {
    res.end(JSON.stringify({ requests }));
    return;
  }
  if (req.method !== "POST" || !(req.url in schemas)) {
    res.statusCode = 404;
    res.end();
    return;
  }
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", async () => {
    requests += 1;
    const body = Buffer.concat(chunks).toString();
    const key = `${req.url} ${body}`;
    let entry = memo.get(key);
    if (entry === undefined) {
      const [status, text] = await answer(req.url, body);
      entry = [status, Buffer.from(text)];
      if (status === 200) {
        if (memo.size >= MEMO_LIMIT) memo.clear();
        memo.set(key, entry);
      }
    }
    res.writeHead(entry[0], { "content-type": "application/json", "content-length": entry[1].length });
    res.end(entry[1]);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.argv[2] ?? 4200), "127.0.0.1", () => console.log(`subgraphs listening on ${server.address().port}`));
