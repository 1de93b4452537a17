"use client";
import { useState } from "react";
import { track } from "./Track";

export function Feedback({ articleId }: { articleId: string }) {
  const [sent, setSent] = useState<boolean | null>(null);
  if (sent !== null) return <p className="ok" role="status">Thank you for your feedback.</p>;
  return (
    <div className="panel" role="group" aria-label="Was this article helpful?">
      <span>Was this article helpful? </span>
      {[true, false].map((helpful) => (
        <button
          key={String(helpful)}
          className={helpful ? undefined : "secondary"}
          onClick={() => {
            track([{ kind: "ARTICLE_FEEDBACK", articleId, helpful }]);
            setSent(helpful);
          }}
        >
          {helpful ? "Yes" : "No"}
        </button>
      ))}
    </div>
  );
}
