// Refresh rotation, server-side: when the access-token cookie has gone (it expires 30 s before
// the JWT does) and a refresh token is there, trade it for a new pair before the page renders, and
// hand the new access token to this same request. Refresh tokens are single use and reusing one
// ends the whole login, so concurrent requests of one browser share one exchange.
import { NextResponse, type NextRequest } from "next/server";
import { RefreshDocument } from "@/gql/graphql";
import { ACCESS_COOKIE, REFRESH_COOKIE, clearSessionCookies, setSessionCookies, type Tokens } from "@/lib/session";

const ROUTER_URL = process.env.KCP_ROUTER_URL ?? "http://127.0.0.1:4000/graphql";
const inFlight = new Map<string, Promise<Tokens | null | "unreachable">>();

async function exchange(refreshToken: string): Promise<Tokens | null | "unreachable"> {
  const hash = (RefreshDocument as unknown as { __meta__: { hash: string } }).__meta__.hash.replace(/^sha256:/, "");
  try {
    const response = await fetch(ROUTER_URL, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        variables: { refreshToken },
        extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
      }),
      cache: "no-store",
    });
    const payload = (await response.json()) as { data?: { refresh?: Tokens } | null };
    return payload.data?.refresh ?? null;
  } catch {
    return "unreachable";
  }
}

function sharedExchange(refreshToken: string): Promise<Tokens | null | "unreachable"> {
  let pending = inFlight.get(refreshToken);
  if (!pending) {
    pending = exchange(refreshToken);
    inFlight.set(refreshToken, pending);
    // Keep the answer a few seconds for requests that left the browser with the old cookie.
    void pending.finally(() => setTimeout(() => inFlight.delete(refreshToken), 10_000));
  }
  return pending;
}

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const refreshToken = request.cookies.get(REFRESH_COOKIE)?.value;
  if (request.cookies.get(ACCESS_COOKIE) || !refreshToken) return NextResponse.next();
  const tokens = await sharedExchange(refreshToken);
  if (tokens === "unreachable") return NextResponse.next(); // the page says the API is down
  if (tokens === null) {
    const response = NextResponse.next();
    clearSessionCookies(response.cookies);
    return response;
  }
  request.cookies.set(ACCESS_COOKIE, tokens.accessToken);
  const response = NextResponse.next({ request: { headers: request.headers } });
  setSessionCookies(response.cookies, tokens);
  return response;
}

export const config = {
  // The private areas and the app's own routes; the public help centre stays static.
  matcher: ["/portal/:path*", "/agent/:path*", "/studio/:path*", "/analytics/:path*", "/api/:path*"],
};
