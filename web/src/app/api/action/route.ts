// The state-changing calls the browser may ask the app to make, each mapped to one trusted
// document and run with the caller's access token from its cookie. Browser-side analytics
// (trackEvents) come through here too, so the router is never exposed to the browser.
import { NextResponse } from "next/server";
import {
  AddTicketMessageDocument,
  AssignTicketDocument,
  CreateTicketDocument,
  GenerateContentDocument,
  SuggestSolutionsDocument,
  TrackEventsDocument,
  TransitionContentItemDocument,
  TransitionTicketDocument,
  type ContentKind,
  type ContentStatus,
  type TicketStatus,
  type TrackEventInput,
} from "@/gql/graphql";
import { execute, explain, type ApiResult } from "@/lib/api";
import { csrfRefusal } from "@/lib/csrf";
import { accessToken, signedInUser } from "@/lib/viewer";

type Input = Record<string, unknown>;

function text(input: Input, name: string): string {
  const value = input[name];
  return typeof value === "string" ? value : "";
}

async function run(action: string, input: Input, token: string | null): Promise<ApiResult<unknown> | string> {
  switch (action) {
    case "track": {
      const events = Array.isArray(input.events) ? (input.events as TrackEventInput[]).slice(0, 50) : [];
      return execute(TrackEventsDocument, { inputs: events }, { token });
    }
    case "suggest":
      return execute(SuggestSolutionsDocument, { query: text(input, "query"), product: text(input, "productId") || null }, { token });
    case "createTicket":
      return execute(
        CreateTicketDocument,
        {
          input: {
            subject: text(input, "subject"),
            description: text(input, "description"),
            productId: text(input, "productId"),
            channel: "WEB",
          },
          idempotencyKey: text(input, "idempotencyKey") || null,
        },
        { token },
      );
    case "reply":
      return execute(
        AddTicketMessageDocument,
        {
          ticketId: text(input, "ticketId"),
          body: text(input, "body"),
          internal: input.internal === true,
          idempotencyKey: text(input, "idempotencyKey") || null,
        },
        { token },
      );
    case "status":
      return execute(
        TransitionTicketDocument,
        { ticketId: text(input, "ticketId"), status: text(input, "status") as TicketStatus },
        { token },
      );
    case "assignToMe": {
      const user = await signedInUser();
      return execute(AssignTicketDocument, { ticketId: text(input, "ticketId"), assigneeId: user?.id ?? null }, { token });
    }
    case "transitionContent":
      return execute(
        TransitionContentItemDocument,
        { id: text(input, "id"), to: text(input, "to") as ContentStatus, comment: text(input, "comment") || null },
        { token },
      );
    case "generate":
      return execute(
        GenerateContentDocument,
        { input: { productId: text(input, "productId"), kind: text(input, "kind") as ContentKind } },
        { token },
      );
    default:
      return `unknown action ${action}`;
  }
}

export async function POST(request: Request): Promise<NextResponse> {
  const csrf = csrfRefusal(request);
  if (csrf) return NextResponse.json({ error: `Refused: ${csrf}.`, code: "CSRF_PREVENTED" }, { status: 403 });
  const body = (await request.json().catch(() => null)) as { action?: unknown; input?: Input } | null;
  if (!body || typeof body.action !== "string") {
    return NextResponse.json({ error: "A request needs an action.", code: "BAD_REQUEST" }, { status: 400 });
  }
  const token = await accessToken();
  const result = await run(body.action, body.input ?? {}, token);
  if (typeof result === "string") return NextResponse.json({ error: result, code: "BAD_REQUEST" }, { status: 400 });
  const error = result.errors[0];
  if (error) {
    // An expired session reads as UNAUTHENTICATED, or as a null answer for a signed-out caller.
    const code = !token && body.action !== "track" && body.action !== "suggest" ? "UNAUTHENTICATED" : error.code;
    return NextResponse.json({ error: explain({ ...error, code }), code, data: result.data }, { status: 200 });
  }
  return NextResponse.json({ data: result.data });
}
