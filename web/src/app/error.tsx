"use client";

// Anything unexpected while rendering: a message and a retry, never a blank screen.
export default function Failure({ reset }: { error: Error; reset: () => void }) {
  return (
    <>
      <h1>Something went wrong</h1>
      <p className="problem" role="alert">
        This page could not be shown: the help centre may not be able to reach its API right now. Please try
        again in a minute.
      </p>
      <button onClick={reset}>Try again</button>
    </>
  );
}
