import type { Metadata } from "next";
import Link from "next/link";
import { ApiProblem } from "@/components/ApiProblem";
import { MyTicketsDocument } from "@/gql/graphql";
import { execute } from "@/lib/api";
import { requireSignIn } from "@/lib/guard";

export const metadata: Metadata = { title: "My tickets" };

const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default async function MyTickets() {
  const { token, user } = await requireSignIn("/portal");
  const { data, errors } = await execute(MyTicketsDocument, {}, { token });
  const tickets = data?.tickets?.edges.map((edge) => edge.node) ?? [];
  return (
    <>
      <h1>My tickets</h1>
      <p>
        Signed in as {user.name}. <Link href="/portal/new">Open a new ticket</Link>
      </p>
      <ApiProblem errors={errors} />
      {data && tickets.length === 0 && <p>You have no tickets.</p>}
      {tickets.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Subject</th>
              <th scope="col">Product</th>
              <th scope="col">Status</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {tickets.map((ticket) => (
              <tr key={ticket.id}>
                <td>
                  <Link href={`/portal/tickets/${ticket.id}`}>{ticket.subject}</Link>
                </td>
                <td>{ticket.product?.name}</td>
                <td>{ticket.status.toLowerCase()}</td>
                <td>{when.format(new Date(ticket.updatedAt))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
