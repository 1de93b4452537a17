"use client";
import { useRef, useState, type FormEvent } from "react";
import type { SuggestSolutionsQuery } from "@/gql/graphql";
import { action, newKey } from "./client";
import { Highlighted } from "./Highlighted";
import { Problem } from "./Problem";
import { track } from "./Track";
import { useDraft } from "./useDraft";
import { useLive } from "./useLive";

type Suggestion = NonNullable<SuggestSolutionsQuery["search"]>["edges"][number]["node"];

// Suggestions first: the customer sees the solutions that match their words before the ticket
// is sent; confirming that one of them solved the problem reports a TICKET_DEFLECTED event naming
// that solution (a ticket avoided by self-service) and sends no ticket.
export function NewTicketForm({ products }: { products: { id: string; name: string }[] }) {
  const [subject, setSubject] = useDraft("draft:new-ticket:subject");
  const [description, setDescription] = useDraft("draft:new-ticket:description");
  const [productId, setProductId] = useDraft("draft:new-ticket:product");
  const live = useLive();
  const [suggestions, setSuggestions] = useState<Suggestion[] | null>(null);
  const [problem, setProblem] = useState<{ message: string; code?: string } | null>(null);
  const [solved, setSolved] = useState(false);
  const [busy, setBusy] = useState(false);
  const idempotencyKey = useRef(newKey());

  async function suggest(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    if (!subject.trim() || !description.trim() || !productId) {
      setProblem({ message: "Choose the product and describe the problem first." });
      return;
    }
    setBusy(true);
    const answer = await action<SuggestSolutionsQuery>("suggest", { query: `${subject} ${description}`.slice(0, 500), productId });
    setBusy(false);
    if (answer.error) setProblem({ message: answer.error, code: answer.code });
    setSuggestions(answer.data?.search?.edges.map((edge) => edge.node) ?? []);
    track([{ kind: "SEARCH", query: subject.slice(0, 200), productId, resultCount: answer.data?.search?.edges.length ?? 0 }]);
  }

  function solvedBy(solutionId: string) {
    track([{ kind: "TICKET_DEFLECTED", productId, solutionId }]);
    for (const clear of [setSubject, setDescription, setProductId]) clear("");
    setSolved(true);
  }

  async function send() {
    setBusy(true);
    setProblem(null);
    const answer = await action<{ createTicket: { id: string } }>("createTicket", {
      subject,
      description,
      productId,
      idempotencyKey: idempotencyKey.current,
    });
    setBusy(false);
    const id = answer.data?.createTicket?.id;
    if (!id) {
      setProblem({ message: answer.error ?? "The ticket could not be sent.", code: answer.code });
      return;
    }
    for (const clear of [setSubject, setDescription, setProductId]) clear("");
    window.sessionStorage.clear();
    window.location.href = `/portal/tickets/${id}`;
  }

  if (solved) {
    return (
      <p className="ok" role="status">
        Glad that helped. No ticket was opened.
      </p>
    );
  }

  return (
    <form className="panel" onSubmit={suggest}>
      <Problem message={problem?.message ?? null} code={problem?.code} />
      <label htmlFor="product">Product</label>
      <select id="product" value={productId} onChange={(e) => setProductId(e.target.value)} required disabled={!live}>
        <option value="">Choose…</option>
        {products.map((product) => (
          <option key={product.id} value={product.id}>
            {product.name}
          </option>
        ))}
      </select>
      <label htmlFor="subject">Subject</label>
      <input
        id="subject"
        size={60}
        value={subject}
        onChange={(e) => setSubject(e.target.value)}
        required
        maxLength={200}
        readOnly={!live}
      />
      <label htmlFor="description">What happens?</label>
      <textarea id="description" value={description} onChange={(e) => setDescription(e.target.value)} required readOnly={!live} />
      {suggestions === null ? (
        <p>
          <button type="submit" disabled={busy || !live}>
            Continue
          </button>
        </p>
      ) : (
        <section aria-labelledby="suggested">
          <h2 id="suggested">These solutions may help</h2>
          {suggestions.length === 0 && <p>We found no matching solution.</p>}
          <ol>
            {suggestions.map((hit, i) => {
              const solution = hit.result;
              if (solution.__typename !== "Solution") return null;
              return (
                <li key={i}>
                  <strong>{solution.title}</strong>
                  <ol>
                    {solution.steps.map((step, j) => (
                      <li key={j}>{step}</li>
                    ))}
                  </ol>
                  <p className="muted">
                    <Highlighted text={hit.highlight} />
                  </p>
                  <p>
                    <button type="button" className="secondary" onClick={() => solvedBy(solution.id)}>
                      This solved it
                    </button>
                  </p>
                </li>
              );
            })}
          </ol>
          <p>
            <button type="button" onClick={send} disabled={busy}>
              {busy ? "Sending…" : "Send the ticket"}
            </button>
          </p>
        </section>
      )}
    </form>
  );
}
