// Sign-in and sign-out, the only place tokens are handled: they go into httpOnly cookies and
// never reach the browser's JavaScript.
import { NextResponse } from "next/server";
import { LoginDocument, LogoutDocument } from "@/gql/graphql";
import { execute, explain } from "@/lib/api";
import { csrfRefusal } from "@/lib/csrf";
import { REFRESH_COOKIE, clearSessionCookies, setSessionCookies } from "@/lib/session";

function refused(reason: string): NextResponse {
  return NextResponse.json({ error: `Refused: ${reason}.`, code: "CSRF_PREVENTED" }, { status: 403 });
}

export async function POST(request: Request): Promise<NextResponse> {
  const csrf = csrfRefusal(request);
  if (csrf) return refused(csrf);
  const input = (await request.json().catch(() => ({}))) as { email?: unknown; password?: unknown };
  if (typeof input.email !== "string" || typeof input.password !== "string" || !input.email || !input.password) {
    return NextResponse.json({ error: "Enter your e-mail address and your password.", code: "BAD_USER_INPUT" }, { status: 400 });
  }
  const result = await execute(LoginDocument, { email: input.email, password: input.password });
  const login = result.data?.login;
  if (!login) {
    const error = result.errors[0] ?? { code: "UNKNOWN", message: "Sign-in failed." };
    const status = error.code === "API_UNREACHABLE" ? 503 : error.code === "RATE_LIMITED" ? 429 : 401;
    return NextResponse.json({ error: explain(error), code: error.code }, { status });
  }
  const response = NextResponse.json({ user: login.user });
  setSessionCookies(response.cookies, login);
  return response;
}

export async function DELETE(request: Request): Promise<NextResponse> {
  const csrf = csrfRefusal(request);
  if (csrf) return refused(csrf);
  const refreshToken = request.headers.get("cookie")?.match(new RegExp(`${REFRESH_COOKIE}=([^;]+)`))?.[1];
  if (refreshToken) await execute(LogoutDocument, { refreshToken: decodeURIComponent(refreshToken) });
  const response = NextResponse.json({ signedOut: true });
  clearSessionCookies(response.cookies);
  return response;
}

export async function GET(request: Request): Promise<NextResponse> {
  const { parseUser, USER_COOKIE } = await import("@/lib/session");
  const raw = request.headers.get("cookie")?.match(new RegExp(`${USER_COOKIE}=([^;]+)`))?.[1];
  const user = parseUser(raw ? decodeURIComponent(raw) : undefined);
  return NextResponse.json({ user: user ? { name: user.name, role: user.role } : null });
}
