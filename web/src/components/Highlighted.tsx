// The API marks matched words with <mark>…</mark>; everything else is rendered as text, never HTML.
export function Highlighted({ text }: { text: string }) {
  const parts = text.split(/<\/?mark>/);
  return (
    <>
      {parts.map((part, i) => (i % 2 === 1 ? <mark key={i}>{part}</mark> : <span key={i}>{part}</span>))}
    </>
  );
}
