"use client";
// A failed request's message; for an ended session, a link to sign in again that comes back here.
export function Problem({ message, code }: { message: string | null; code?: string | undefined }) {
  if (!message) return null;
  return (
    <p className="problem" role="alert">
      {message}{" "}
      {code === "UNAUTHENTICATED" && (
        <a href={`/signin?next=${encodeURIComponent(window.location.pathname)}`} target="_blank" rel="noopener">
          Sign in again (opens a new tab)
        </a>
      )}
    </p>
  );
}
