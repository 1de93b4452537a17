"use client";
import Link from "next/link";
import type { ReactNode } from "react";
import { track, type TrackedEvent } from "./Track";

export function TrackedLink({ href, event, children }: { href: string; event: TrackedEvent; children: ReactNode }) {
  return (
    <Link href={href} onClick={() => track([event])}>
      {children}
    </Link>
  );
}
