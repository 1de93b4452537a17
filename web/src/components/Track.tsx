"use client";
// Browser-side analytics: a page view (and the kind-specific event) once per page load, through
// the app's own route to trackEvents. A repeated clientEventId is stored once by analytics.
import { useEffect } from "react";
import { action, newKey } from "./client";

export type TrackedEvent = {
  kind: "PAGE_VIEW" | "SEARCH" | "SEARCH_CLICK" | "ARTICLE_VIEW" | "ARTICLE_FEEDBACK" | "TICKET_DEFLECTED";
  productId?: string;
  solutionId?: string;
  articleId?: string;
  query?: string;
  resultCount?: number;
  helpful?: boolean;
};

export function track(events: TrackedEvent[]): void {
  void action("track", { events: events.map((event) => ({ ...event, clientEventId: newKey() })) });
}

export function Track({ events }: { events: TrackedEvent[] }) {
  const key = JSON.stringify(events);
  useEffect(() => {
    track(JSON.parse(key) as TrackedEvent[]);
  }, [key]);
  return null;
}
