// Every state-changing request to the app's own routes must be same-origin JSON carrying the
// x-kcp-csrf header: a cross-site form cannot send JSON with a custom header without a CORS
// preflight, which this app never grants, and the Origin check refuses what a browser marks as
// coming from elsewhere. Session cookies are SameSite=Lax on top of that.
export const CSRF_HEADER = "x-kcp-csrf";

export function csrfRefusal(request: Request): string | null {
  if (request.headers.get(CSRF_HEADER) !== "1") return `missing the ${CSRF_HEADER} header`;
  if (!(request.headers.get("content-type") ?? "").startsWith("application/json")) return "not a JSON request";
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (origin !== null) {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      return "a malformed Origin header";
    }
    if (originHost !== host) return "a request from another site";
  }
  return null;
}
