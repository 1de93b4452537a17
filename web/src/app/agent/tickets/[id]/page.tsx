import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ApiProblem } from "@/components/ApiProblem";
import { Conversation } from "@/components/Conversation";
import { ReplyForm } from "@/components/ReplyForm";
import { TicketActions } from "@/components/TicketActions";
import { TicketPageDocument, TicketSuggestionsDocument } from "@/gql/graphql";
import { execute } from "@/lib/api";
import { requireSignIn } from "@/lib/guard";

export const metadata: Metadata = { title: "Ticket" };

type Props = { params: Promise<{ id: string }> };

export default async function AgentTicket({ params }: Props) {
  const { id } = await params;
  const { token } = await requireSignIn(`/agent/tickets/${id}`);
  const [page, suggestions] = await Promise.all([
    execute(TicketPageDocument, { id, includeInternal: true }, { token }),
    execute(TicketSuggestionsDocument, { id }, { token }),
  ]);
  if (page.errors.length > 0 && !page.data?.ticket) return <ApiProblem errors={page.errors} />;
  const ticket = page.data?.ticket;
  if (!ticket) notFound();
  return (
    <>
      <p>
        <Link href="/agent">Queue</Link>
      </p>
      <h1>{ticket.subject}</h1>
      <p className="muted">
        {ticket.customer?.name} · {ticket.product?.name} · <span className="badge">{ticket.status.toLowerCase()}</span> ·{" "}
        {ticket.priority.toLowerCase()} · assigned to {ticket.assignee?.name ?? "nobody"}
      </p>
      <TicketActions ticketId={ticket.id} status={ticket.status} />
      <p>{ticket.description}</p>
      <section aria-labelledby="suggested" className="panel">
        <h2 id="suggested">Suggested solutions</h2>
        <ApiProblem errors={suggestions.errors} />
        <ol>
          {suggestions.data?.ticket?.suggestedSolutions.map((solution) => (
            <li key={solution.id}>
              <strong>{solution.title}</strong>: {solution.steps.join(" ")}
            </li>
          ))}
        </ol>
      </section>
      <h2>Conversation</h2>
      <Conversation messages={ticket.messages} />
      <ReplyForm ticketId={ticket.id} allowInternal />
    </>
  );
}
