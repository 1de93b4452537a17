"use client";
import { useRef, useState, type FormEvent } from "react";
import { action, newKey } from "./client";
import { Problem } from "./Problem";
import { useDraft } from "./useDraft";
import { useLive } from "./useLive";

export function ReplyForm({ ticketId, allowInternal }: { ticketId: string; allowInternal: boolean }) {
  const [body, setBody, clearBody] = useDraft(`draft:reply:${ticketId}`);
  const live = useLive();
  const [internal, setInternal] = useState(false);
  const [problem, setProblem] = useState<{ message: string; code?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const idempotencyKey = useRef(newKey());

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!body.trim()) return;
    setBusy(true);
    setProblem(null);
    const answer = await action<{ addTicketMessage: { id: string } }>("reply", {
      ticketId,
      body,
      internal,
      idempotencyKey: idempotencyKey.current,
    });
    setBusy(false);
    if (!answer.data?.addTicketMessage) {
      setProblem({ message: answer.error ?? "The reply could not be sent; it is kept below.", code: answer.code });
      return;
    }
    clearBody();
    idempotencyKey.current = newKey();
    window.location.reload();
  }

  return (
    <form className="panel" onSubmit={submit}>
      <Problem message={problem?.message ?? null} code={problem?.code} />
      <label htmlFor="reply">{allowInternal ? "Reply or note" : "Your reply"}</label>
      {/* Read-only while a message is on its way: the page reloads once the server has it, and
          text typed meanwhile would go with the old page. */}
      <textarea id="reply" value={body} onChange={(e) => setBody(e.target.value)} required readOnly={!live || busy} />
      {allowInternal && (
        <p>
          <input
            id="internal"
            type="checkbox"
            checked={internal}
            onChange={(e) => setInternal(e.target.checked)}
            disabled={!live}
          />{" "}
          <label htmlFor="internal" style={{ display: "inline" }}>
            Internal note (the customer never sees it)
          </label>
        </p>
      )}
      <button type="submit" disabled={busy || !live}>
        {busy ? "Sending…" : internal ? "Add note" : "Send reply"}
      </button>
    </form>
  );
}
