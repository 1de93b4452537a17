"use client";
import { useState } from "react";
import { action } from "./client";
import { Problem } from "./Problem";

const MOVES = ["OPEN", "PENDING", "SOLVED", "CLOSED"] as const;

export function TicketActions({ ticketId, status }: { ticketId: string; status: string }) {
  const [problem, setProblem] = useState<{ message: string; code?: string } | null>(null);

  async function run(name: string, input: Record<string, unknown>) {
    setProblem(null);
    const answer = await action(name, { ticketId, ...input });
    if (answer.error) setProblem({ message: answer.error, code: answer.code });
    else window.location.reload();
  }

  return (
    <div className="inline" role="group" aria-label="Ticket actions">
      <Problem message={problem?.message ?? null} code={problem?.code} />
      <button type="button" className="secondary" onClick={() => run("assignToMe", {})}>
        Assign to me
      </button>{" "}
      {MOVES.filter((move) => move !== status).map((move) => (
        <button key={move} type="button" className="secondary" onClick={() => run("status", { status: move })}>
          Mark {move.toLowerCase()}
        </button>
      ))}
    </div>
  );
}
