import type { Metadata } from "next";
import Link from "next/link";
import { ApiProblem } from "@/components/ApiProblem";
import { AgentQueueDocument, type TicketPriority, type TicketSort, type TicketStatus } from "@/gql/graphql";
import { execute } from "@/lib/api";
import { requireSignIn } from "@/lib/guard";

export const metadata: Metadata = { title: "Agent console" };

const STATUSES: TicketStatus[] = ["OPEN", "PENDING", "SOLVED", "CLOSED"];
const PRIORITIES: TicketPriority[] = ["LOW", "NORMAL", "HIGH", "URGENT"];
const SORTS: TicketSort[] = ["NEWEST", "OLDEST", "PRIORITY"];
const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

type Props = { searchParams: Promise<{ status?: string; priority?: string; unassigned?: string; sort?: string }> };

export default async function AgentQueue({ searchParams }: Props) {
  const { token } = await requireSignIn("/agent");
  const params = await searchParams;
  const status = STATUSES.find((s) => s === params.status) ?? null;
  const priority = PRIORITIES.find((p) => p === params.priority) ?? null;
  const sort = SORTS.find((s) => s === params.sort) ?? "NEWEST";
  const unassigned = params.unassigned === "1";
  const { data, errors } = await execute(
    AgentQueueDocument,
    { status: status ? [status] : null, priority: priority ? [priority] : null, unassigned, sort },
    { token },
  );
  const tickets = data?.tickets?.edges.map((edge) => edge.node) ?? [];
  return (
    <>
      <h1>Ticket queue</h1>
      <form className="inline panel" action="/agent">
        <div>
          <label htmlFor="status">Status</label>
          <select id="status" name="status" defaultValue={status ?? ""}>
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.toLowerCase()}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="priority">Priority</label>
          <select id="priority" name="priority" defaultValue={priority ?? ""}>
            <option value="">Any</option>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {p.toLowerCase()}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="sort">Sort</label>
          <select id="sort" name="sort" defaultValue={sort}>
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {s.toLowerCase()}
              </option>
            ))}
          </select>
        </div>
        <div>
          <input id="unassigned" type="checkbox" name="unassigned" value="1" defaultChecked={unassigned} />{" "}
          <label htmlFor="unassigned" style={{ display: "inline" }}>
            Unassigned only
          </label>
        </div>
        <button type="submit">Apply</button>
      </form>
      <ApiProblem errors={errors} />
      {data && (
        <p>
          {data.tickets?.totalCount ?? 0} tickets
        </p>
      )}
      {tickets.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Subject</th>
              <th scope="col">Customer</th>
              <th scope="col">Product</th>
              <th scope="col">Status</th>
              <th scope="col">Priority</th>
              <th scope="col">Assignee</th>
              <th scope="col">Opened</th>
            </tr>
          </thead>
          <tbody>
            {tickets.map((ticket) => (
              <tr key={ticket.id}>
                <td>
                  <Link href={`/agent/tickets/${ticket.id}`}>{ticket.subject}</Link>
                </td>
                <td>{ticket.customer?.name}</td>
                <td>{ticket.product?.name}</td>
                <td>{ticket.status.toLowerCase()}</td>
                <td>{ticket.priority.toLowerCase()}</td>
                <td>{ticket.assignee?.name ?? "—"}</td>
                <td>{when.format(new Date(ticket.createdAt))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
