"use client";
import { useState } from "react";
import { action } from "./client";
import { Problem } from "./Problem";

// The review workflow's moves from each status (the API refuses any other with ILLEGAL_TRANSITION).
const MOVES: Record<string, { to: string; label: string }[]> = {
  DRAFT: [{ to: "IN_REVIEW", label: "Submit for review" }],
  IN_REVIEW: [
    { to: "APPROVED", label: "Approve" },
    { to: "DRAFT", label: "Send back to draft" },
  ],
  APPROVED: [
    { to: "PUBLISHED", label: "Publish" },
    { to: "DRAFT", label: "Send back to draft" },
  ],
  PUBLISHED: [{ to: "DRAFT", label: "Unpublish" }],
};

export function TransitionButtons({ id, status }: { id: string; status: string }) {
  const [problem, setProblem] = useState<{ message: string; code?: string } | null>(null);
  return (
    <div className="inline" role="group" aria-label="Workflow">
      <Problem message={problem?.message ?? null} code={problem?.code} />
      {(MOVES[status] ?? []).map((move) => (
        <button
          key={move.to}
          type="button"
          onClick={async () => {
            setProblem(null);
            const answer = await action("transitionContent", { id, to: move.to });
            if (answer.error) setProblem({ message: answer.error, code: answer.code });
            else window.location.reload();
          }}
        >
          {move.label}
        </button>
      ))}
    </div>
  );
}

const KINDS = ["PRODUCT_DESCRIPTION", "FAQ_DRAFT", "SUPPORT_MACRO", "SOCIAL_POST", "MARKETING_EMAIL"];

export function GenerateForm({ products }: { products: { id: string; name: string }[] }) {
  const [productId, setProductId] = useState("");
  const [kind, setKind] = useState(KINDS[0] ?? "");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ message: string; code?: string } | null>(null);
  return (
    <form
      className="inline panel"
      aria-label="Generate a draft"
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        setProblem(null);
        const answer = await action<{ generateContent: { contentItem: { id: string } | null } }>("generate", { productId, kind });
        setBusy(false);
        const id = answer.data?.generateContent?.contentItem?.id;
        if (id) window.location.href = `/studio/items/${id}`;
        else setProblem({ message: answer.error ?? "No draft was generated.", code: answer.code });
      }}
    >
      <Problem message={problem?.message ?? null} code={problem?.code} />
      <div>
        <label htmlFor="gen-product">Draft from the facts of</label>
        <select id="gen-product" value={productId} onChange={(e) => setProductId(e.target.value)} required>
          <option value="">Choose a product…</option>
          {products.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="gen-kind">Kind</label>
        <select id="gen-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {k.toLowerCase().replaceAll("_", " ")}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" disabled={busy}>
        {busy ? "Generating…" : "Generate a draft"}
      </button>
    </form>
  );
}
