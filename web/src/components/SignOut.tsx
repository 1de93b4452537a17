"use client";
import { useEffect, useState } from "react";
import { post } from "./client";

// The header's sign-in state: the name from the (httpOnly) user cookie is not readable here, so
// the page asks the app's session route.
export function SignOut() {
  const [signedIn, setSignedIn] = useState<boolean | null>(null);
  useEffect(() => {
    fetch("/api/session")
      .then((r) => r.json())
      .then((s: { user: { name: string } | null }) => setSignedIn(s.user !== null))
      .catch(() => setSignedIn(false));
  }, []);
  if (signedIn === null) return null;
  if (!signedIn) return <a href="/signin">Sign in</a>;
  return (
    <button
      className="secondary"
      onClick={async () => {
        await post("/api/session", {}, "DELETE");
        window.location.href = "/";
      }}
    >
      Sign out
    </button>
  );
}
