// Apollo Gateway over KCP's running subgraphs: the reference the differential test compares our
// router with (bench/differential/). Usage: node gateway.mjs PORT name=URL [name=URL ...]
//
// The supergraph is composed here by @apollo/composition from each subgraph's own SDL
// ({ _service { sdl } }), as our router composes it. Apollo Gateway refuses a supergraph whose
// @authenticated / @requiresScopes links are `for: SECURITY` (it does not enforce them; Apollo
// Router does), so that argument is dropped on this copy: the subgraphs still check every scope.
//
// Identity: our router proves the caller once and sends subgraphs signed identity headers; a
// subgraph given no such headers verifies the same bearer token itself against auth's JWKS
// (kcp/identity/resolve.py). So forwarding the client's Authorization header gives every
// subgraph the same caller our router would: that is all this gateway forwards.
import { composeServices } from "@apollo/composition";
import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { parse } from "graphql";

const [port, ...subgraphArgs] = process.argv.slice(2);
const subgraphs = subgraphArgs.map((arg) => {
  const at = arg.indexOf("=");
  return { name: arg.slice(0, at), url: arg.slice(at + 1) };
});

async function sdlOf(url) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ _service { sdl } }" }),
  });
  const body = await response.json();
  return body.data._service.sdl;
}

const services = [];
for (const { name, url } of subgraphs) {
  services.push({ name, url, typeDefs: parse(await sdlOf(url)) });
}
const composed = composeServices(services);
if (composed.errors) {
  for (const error of composed.errors) console.error(error.message);
  process.exit(1);
}
const supergraphSdl = composed.supergraphSdl.replace(
  /(@link\(url: "https:\/\/specs\.apollo\.dev\/(?:authenticated|requiresScopes)\/v[0-9.]+"), for: SECURITY\)/g,
  "$1)",
);

class ForwardingDataSource extends RemoteGraphQLDataSource {
  willSendRequest({ request, context }) {
    if (context.authorization) request.http.headers.set("authorization", context.authorization);
  }
}

// Node's own fetch (undici) rather than the data source's default: undici drops an idle
// connection after 4 s, before the subgraphs' servers do (uvicorn: 5 s), where the default
// client would now and then send on a connection the server had just closed ("socket hang up").
const gateway = new ApolloGateway({
  supergraphSdl,
  buildService: ({ url }) => new ForwardingDataSource({ url, fetcher: (target, init) => fetch(target, init) }),
});
const server = new ApolloServer({ gateway, includeStacktraceInErrorResponses: false });
const { url } = await startStandaloneServer(server, {
  listen: { host: "127.0.0.1", port: Number(port) },
  context: async ({ req }) => ({ authorization: req.headers.authorization }),
});
console.log(`ready ${url}`);
