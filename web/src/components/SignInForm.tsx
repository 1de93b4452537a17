"use client";
import { useState, type FormEvent } from "react";
import { post } from "./client";

const HOME_BY_ROLE: Record<string, string> = { SUPPORT_AGENT: "/agent", CUSTOMER: "/portal", EDITOR: "/studio", ANALYST: "/analytics" };

export function SignInForm({ next }: { next: string }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    const answer = await post<never>("/api/session", { email, password });
    setBusy(false);
    if (answer.error) {
      setProblem(answer.error);
      return;
    }
    const role = (answer as { user?: { role: string } }).user?.role ?? "";
    window.location.href = next || HOME_BY_ROLE[role] || "/";
  }

  return (
    <form className="panel" onSubmit={submit} noValidate>
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      <label htmlFor="email">E-mail address</label>
      <input id="email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
      <label htmlFor="password">Password</label>
      <input
        id="password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        required
      />
      <p>
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </p>
    </form>
  );
}
