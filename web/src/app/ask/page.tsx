import type { Metadata } from "next";
import Link from "next/link";
import { ApiProblem } from "@/components/ApiProblem";
import { AskPageDocument, ProductChoicesDocument } from "@/gql/graphql";
import { execute } from "@/lib/api";

export const metadata: Metadata = { title: "Ask a question" };

type Props = { searchParams: Promise<{ q?: string; product?: string }> };

// "[3]" in the answer becomes a link to the citation of that number.
function AnswerText({ text }: { text: string }) {
  return (
    <p>
      {text.split(/(\[\d+\])/).map((part, i) => {
        const cite = part.match(/^\[(\d+)\]$/);
        return cite ? (
          <sup key={i}>
            <a href={`#cite-${cite[1]}`} aria-label={`source ${cite[1]}`}>
              [{cite[1]}]
            </a>
          </sup>
        ) : (
          <span key={i}>{part}</span>
        );
      })}
    </p>
  );
}

export default async function AskPage({ searchParams }: Props) {
  const { q = "", product = "" } = await searchParams;
  const question = q.trim().slice(0, 1000);
  const choices = await execute(ProductChoicesDocument, {}, { revalidate: 300 });
  const result = question ? await execute(AskPageDocument, { question, productId: product || null }) : null;
  const answer = result?.data?.ask;
  return (
    <>
      <h1>Ask a question</h1>
      <form className="panel" action="/ask">
        <label htmlFor="q">Your question</label>
        <textarea id="q" name="q" defaultValue={question} required maxLength={1000} />
        <label htmlFor="product">Product (optional)</label>
        <select id="product" name="product" defaultValue={product}>
          <option value="">Any product</option>
          {choices.data?.products?.edges.map(({ node }) => (
            <option key={node.id} value={node.id}>
              {node.name}
            </option>
          ))}
        </select>{" "}
        <button type="submit">Ask</button>
      </form>
      {result && <ApiProblem errors={result.errors} />}
      {answer && (
        <section aria-labelledby="answer" className="panel">
          <h2 id="answer">{answer.known ? "Answer" : "We don't know yet"}</h2>
          <AnswerText text={answer.text} />
          {!answer.known && (
            <p>
              <Link href="/portal/new">Open a ticket</Link> and our support team will help.
            </p>
          )}
          {answer.citations.length > 0 && (
            <>
              <h3>Sources</h3>
              <ol>
                {answer.citations.map((citation) => {
                  const source = citation.source;
                  return (
                    <li key={citation.number} id={`cite-${citation.number}`} value={citation.number}>
                      {source?.__typename === "Article" ? (
                        <Link href={`/articles/${source.slug}`}>{source.title}</Link>
                      ) : (
                        <strong>{source && "title" in source ? source.title : citation.id}</strong>
                      )}
                      <blockquote className="muted">“{citation.passage}”</blockquote>
                    </li>
                  );
                })}
              </ol>
            </>
          )}
          <p className="muted">
            Written by: {answer.provider}; confidence {Math.round(answer.confidence * 100)} %
            {answer.degraded.length > 0 && <> · {answer.degraded.join(", ")}</>}
          </p>
        </section>
      )}
    </>
  );
}
