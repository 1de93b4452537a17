import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ApiProblem } from "@/components/ApiProblem";
import { Conversation } from "@/components/Conversation";
import { ReplyForm } from "@/components/ReplyForm";
import { TicketPageDocument } from "@/gql/graphql";
import { execute } from "@/lib/api";
import { requireSignIn } from "@/lib/guard";

export const metadata: Metadata = { title: "Ticket" };

type Props = { params: Promise<{ id: string }> };

export default async function CustomerTicket({ params }: Props) {
  const { id } = await params;
  const { token } = await requireSignIn(`/portal/tickets/${id}`);
  const { data, errors } = await execute(TicketPageDocument, { id, includeInternal: false }, { token });
  if (errors.length > 0 && !data?.ticket) return <ApiProblem errors={errors} />;
  const ticket = data?.ticket;
  if (!ticket) notFound();
  return (
    <>
      <p>
        <Link href="/portal">My tickets</Link>
      </p>
      <h1>{ticket.subject}</h1>
      <p className="muted">
        {ticket.product?.name} · <span className="badge">{ticket.status.toLowerCase()}</span>
      </p>
      <p>{ticket.description}</p>
      <h2>Conversation</h2>
      <Conversation messages={ticket.messages} />
      <ReplyForm ticketId={ticket.id} allowInternal={false} />
    </>
  );
}
