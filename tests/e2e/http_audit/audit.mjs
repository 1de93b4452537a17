// Runs graphql-http's server audits against a GraphQL endpoint and prints one JSON line per audit.
// Usage: node audit.mjs http://127.0.0.1:4000/graphql
// Every request carries `apollo-require-preflight`, as any non-browser client of the router does:
// the router's CSRF prevention refuses simple (preflight-free) requests, which the audit's plain
// GETs would otherwise be; the audit is about the GraphQL-over-HTTP semantics behind that check.
import { serverAudits } from "graphql-http";

const url = process.argv[2];
const fetchWithPreflightHeader = (input, init = {}) => {
  const headers = new Headers(init.headers);
  headers.set("apollo-require-preflight", "true");
  return fetch(input, { ...init, headers });
};

const results = [];
for (const audit of serverAudits({ url, fetchFn: fetchWithPreflightHeader })) {
  const result = await audit.fn();
  results.push({ id: audit.id, name: audit.name, status: result.status, reason: result.reason ?? null });
}
process.stdout.write(JSON.stringify(results) + "\n");
