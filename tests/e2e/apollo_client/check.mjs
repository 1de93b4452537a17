// Apollo Client (with its persisted-queries link) against the router, as a real client would be.
// Usage: node check.mjs <router url> <partner manifest.json> <partner API key>
// Prints one JSON object: what each step saw, for tests/e2e/test_apollo_client.py to judge.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { print } from "graphql";

const [url, manifestPath, apiKey] = process.argv.slice(2);
const sha256 = (text) => createHash("sha256").update(text).digest("hex");

// Every request the link sends, so the test can see the APQ round trip happen.
const sent = [];
const recordingFetch = async (input, init = {}) => {
  const response = await fetch(input, init);
  const body = init.body ? JSON.parse(init.body) : Object.fromEntries(new URL(input).searchParams);
  sent.push({ method: init.method ?? "GET", hasQuery: Boolean(body.query), status: response.status });
  return response;
};

function client(link) {
  return new ApolloClient({ link, cache: new InMemoryCache() });
}

const headers = { "apollo-require-preflight": "true" };
const http = new HttpLink({ uri: url, fetch: recordingFetch, headers });

// 1. A first-party client with automatic persisted queries (GET for hashed queries: CDN-friendly).
const apq = client(new PersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(http));
const PRODUCT = gql`
  query ApqProduct($slug: String!) {
    productBySlug(slug: $slug) { id name }
  }
`;
const first = await apq.query({ query: PRODUCT, variables: { slug: "liberty-4-nc" }, fetchPolicy: "network-only" });
const apqFirstRound = sent.splice(0);
const second = await apq.query({ query: PRODUCT, variables: { slug: "liberty-4-nc" }, fetchPolicy: "network-only" });
const apqSecondRound = sent.splice(0);

// 2. A partner: only the ids of its manifest, found by operation name, never the text.
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
const ids = Object.fromEntries(manifest.operations.map((op) => [op.name, op.id]));
const partnerHttp = new HttpLink({ uri: url, fetch: recordingFetch, headers: { ...headers, "x-api-key": apiKey } });
const byManifestId = new PersistedQueryLink({
  // An operation missing from the manifest gets its own text's hash: the router must refuse it.
  generateHash: (document) =>
    ids[document.definitions.find((d) => d.kind === "OperationDefinition").name.value] ?? sha256(print(document)),
  useGETForHashedQueries: true,
  // A trusted-documents client never falls back to sending the text.
  retry: () => false,
});
const partner = client(ApolloLink.from([byManifestId, partnerHttp]));
const CARD = gql(manifest.operations.find((op) => op.name === "ProductCard").body);
// Apollo Client's normalising cache (the default policy): the manifest's documents carry
// __typename, as the cache needs for objects and fragments, so a second read costs no request.
const card = await partner.query({ query: CARD, variables: { slug: "liberty-4-nc" } });
const partnerRound = sent.splice(0);
const cachedCard = await partner.query({ query: CARD, variables: { slug: "liberty-4-nc" } });
const cachedRound = sent.splice(0);
let unlisted;
try {
  await partner.query({ query: gql`query Unlisted { products(first: 1) { totalCount } }`, fetchPolicy: "no-cache" });
  unlisted = { refused: false };
} catch (error) {
  unlisted = { refused: true, message: String(error.message) };
}

process.stdout.write(
  JSON.stringify({
    apq: { first: first.data, second: second.data, firstRound: apqFirstRound, secondRound: apqSecondRound },
    partner: { card: card.data, round: partnerRound, cachedCard: cachedCard.data, cachedRound, unlisted },
  }) + "\n",
);
