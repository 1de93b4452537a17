// Tokens live in httpOnly cookies only the app's server reads: the access token (kept a little
// shorter than the JWT itself, so it is gone before it expires) and the single-use refresh token,
// which src/proxy.ts trades for a new pair when the access token is gone.
import type { NextResponse } from "next/server";

type ResponseCookies = NextResponse["cookies"];

export const ACCESS_COOKIE = "kcp_at";
export const REFRESH_COOKIE = "kcp_rt";
// Who is signed in, for the page header only (name and role; never trusted for authorization).
export const USER_COOKIE = "kcp_user";

// Browsers treat http://localhost as a secure context, so Secure cookies work in development and
// in the browser tests too; KCP_WEB_INSECURE_COOKIES=1 is for a plain-HTTP host that is not local.
const secure = process.env.KCP_WEB_INSECURE_COOKIES !== "1";

export type Tokens = {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
  user: { id: string; name: string; role: string };
};

export type SignedInUser = { id: string; name: string; role: string };

export function setSessionCookies(cookies: ResponseCookies, tokens: Tokens): void {
  const base = { httpOnly: true, secure, sameSite: "lax" as const, path: "/" };
  cookies.set(ACCESS_COOKIE, tokens.accessToken, { ...base, maxAge: Math.max(tokens.expiresIn - 30, 1) });
  cookies.set(REFRESH_COOKIE, tokens.refreshToken, { ...base, maxAge: tokens.refreshExpiresIn });
  cookies.set(USER_COOKIE, JSON.stringify(tokens.user), { ...base, maxAge: tokens.refreshExpiresIn });
}

export function clearSessionCookies(cookies: ResponseCookies): void {
  for (const name of [ACCESS_COOKIE, REFRESH_COOKIE, USER_COOKIE]) cookies.delete(name);
}

export function parseUser(value: string | undefined): SignedInUser | null {
  if (!value) return null;
  try {
    const user = JSON.parse(value) as SignedInUser;
    return typeof user.id === "string" && typeof user.role === "string" ? user : null;
  } catch {
    return null;
  }
}
