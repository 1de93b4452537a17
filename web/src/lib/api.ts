// The app's only way to the API: a trusted document's id (never its text) sent to the router,
// from the server only. Code Generator replaces each typed document with its sha256, which is an
// id of schema/persisted/web.json, so the router runs it even with KCP_PERSISTED_FREEFORM=enforce.
import "server-only";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";

export const ROUTER_URL = process.env.KCP_ROUTER_URL ?? "http://127.0.0.1:4000/graphql";

export type ApiError = { message: string; code: string };

export type ApiResult<T> = { data: T | null; errors: ApiError[] };

type Options = {
  token?: string | null;
  // Seconds a public answer may be reused by Next's data cache; private calls are never cached.
  revalidate?: number;
};

function documentId(document: object): string {
  const hash = (document as unknown as { __meta__?: { hash?: string } }).__meta__?.hash;
  if (!hash) throw new Error("a document without its trusted-document hash: run `npm run codegen`");
  return hash.replace(/^sha256:/, "");
}

export async function execute<T, V>(
  document: TypedDocumentNode<T, V>,
  variables: V,
  options: Options = {},
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/graphql-response+json, application/json",
  };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const body = JSON.stringify({
    variables,
    extensions: { persistedQuery: { version: 1, sha256Hash: documentId(document) } },
  });
  let response: Response;
  try {
    response = await fetch(ROUTER_URL, {
      method: "POST",
      headers,
      body,
      ...(options.token || options.revalidate === undefined
        ? { cache: "no-store" as const }
        : { next: { revalidate: options.revalidate } }),
    });
  } catch {
    return { data: null, errors: [{ code: "API_UNREACHABLE", message: "The API cannot be reached right now." }] };
  }
  let payload: { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    payload = await response.json();
  } catch {
    return {
      data: null,
      errors: [{ code: "API_UNREACHABLE", message: `The API answered ${response.status} without a GraphQL body.` }],
    };
  }
  return {
    data: payload.data ?? null,
    errors: (payload.errors ?? []).map((e) => ({ message: e.message, code: e.extensions?.code ?? "UNKNOWN" })),
  };
}

// For statically generated pages: an API that cannot be reached is thrown, not rendered, so a
// revalidation keeps serving the last good page (Next keeps it when a render throws), a build
// fails saying the router must be running, and a first visit shows app/error.tsx's message.
export function throwIfUnreachable(errors: ApiError[]): void {
  const unreachable = errors.find((error) => error.code === "API_UNREACHABLE");
  if (unreachable) throw new Error(`${unreachable.message} (KCP_ROUTER_URL=${ROUTER_URL})`);
}

// What a person should read for an error code; the code itself is shown too, for support.
export function explain(error: ApiError): string {
  switch (error.code) {
    case "API_UNREACHABLE":
      return "The help centre cannot reach the API right now. Please try again in a minute.";
    case "UNAUTHENTICATED":
      return "Your session has ended. Sign in again: what you typed is kept.";
    case "FORBIDDEN":
      return "Your account is not allowed to do this.";
    case "PERSISTED_QUERY_NOT_IN_LIST":
    case "PERSISTED_QUERY_NOT_FOUND":
    case "PERSISTED_QUERY_BAD_REQUEST":
      return "The API refused this request: the app and the API are out of step (a newer version may be deploying).";
    case "RATE_LIMITED":
      return "Too many attempts. Please wait a little and try again.";
    case "BAD_USER_INPUT":
    case "BAD_CREDENTIALS":
    case "INVALID_CREDENTIALS":
      return error.message;
    default:
      return error.message;
  }
}
