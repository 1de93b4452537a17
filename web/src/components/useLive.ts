"use client";
// Whether the page's scripts have taken over (hydrated). Until then a server-rendered form's inputs
// are read-only and its buttons disabled: text typed into the bare HTML would be replaced by the
// component's own state when it hydrates, and a click would submit the form natively, losing both.
import { useEffect, useState } from "react";

export function useLive(): boolean {
  const [live, setLive] = useState(false);
  useEffect(() => setLive(true), []);
  return live;
}
