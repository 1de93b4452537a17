import type { TicketPageQuery } from "@/gql/graphql";

type Messages = NonNullable<TicketPageQuery["ticket"]>["messages"];

const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export function Conversation({ messages }: { messages: Messages }) {
  if (messages.length === 0) return <p>No replies yet.</p>;
  return (
    <ol aria-label="Messages" style={{ listStyle: "none", padding: 0 }}>
      {messages.map((message) => (
        <li key={message.id} className={message.internal ? "message internal" : "message"}>
          <p className="muted">
            {message.author?.name ?? "Someone"}
            {message.internal && <strong> · internal note</strong>} · {when.format(new Date(message.createdAt))}
          </p>
          <p style={{ whiteSpace: "pre-wrap" }}>{message.body}</p>
        </li>
      ))}
    </ol>
  );
}
