import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ApiProblem } from "@/components/ApiProblem";
import { TransitionButtons } from "@/components/StudioControls";
import { StudioDiffDocument, StudioItemDocument } from "@/gql/graphql";
import { execute } from "@/lib/api";
import { requireSignIn } from "@/lib/guard";

export const metadata: Metadata = { title: "Content item" };

const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ from?: string; to?: string }> };

export default async function StudioItem({ params, searchParams }: Props) {
  const { id } = await params;
  const { token } = await requireSignIn(`/studio/items/${id}`);
  const { data, errors } = await execute(StudioItemDocument, { id }, { token });
  if (errors.length > 0 && !data?.contentItem) return <ApiProblem errors={errors} />;
  const item = data?.contentItem;
  if (!item) notFound();
  const revisions = item.revisions ?? [];
  const query = await searchParams;
  const latest = item.currentRevision.number;
  const to = Number(query.to ?? latest);
  const from = Number(query.from ?? Math.max(1, latest - 1));
  const diff = latest > 1 ? await execute(StudioDiffDocument, { id, from, to }, { token }) : null;
  return (
    <>
      <p>
        <Link href="/studio">Content studio</Link>
      </p>
      <h1>{item.title}</h1>
      <p className="muted">
        {item.kind.toLowerCase().replaceAll("_", " ")} · {item.product?.name} · {item.locale} ·{" "}
        <span className="badge">{item.status.toLowerCase().replace("_", " ")}</span>
      </p>
      <TransitionButtons id={item.id} status={item.status} />
      <section aria-labelledby="current" className="panel">
        <h2 id="current">Revision {latest}</h2>
        <p style={{ whiteSpace: "pre-wrap" }}>{item.currentRevision.body}</p>
      </section>
      <section aria-labelledby="revisions">
        <h2 id="revisions">Revisions</h2>
        <ol>
          {revisions.map((revision) => (
            <li key={revision.number} value={revision.number}>
              {when.format(new Date(revision.createdAt))} by {revision.author.name}
              {revision.note && <> — {revision.note}</>}
            </li>
          ))}
        </ol>
        {latest > 1 && (
          <form className="inline" action={`/studio/items/${item.id}`}>
            <div>
              <label htmlFor="from">From revision</label>
              <input id="from" name="from" type="number" min={1} max={latest} defaultValue={from} />
            </div>
            <div>
              <label htmlFor="to">To revision</label>
              <input id="to" name="to" type="number" min={1} max={latest} defaultValue={to} />
            </div>
            <button type="submit">Compare</button>
          </form>
        )}
        {diff && <ApiProblem errors={diff.errors} />}
        {diff?.data?.contentItem?.diff && (
          <>
            <p>
              +{diff.data.contentItem.diff.addedLines} / −{diff.data.contentItem.diff.removedLines} lines
            </p>
            <pre className="panel" tabIndex={0} aria-label={`Changes from revision ${from} to ${to}`} style={{ overflowX: "auto" }}>
              {diff.data.contentItem.diff.unified}
            </pre>
          </>
        )}
      </section>
      <section aria-labelledby="reviews">
        <h2 id="reviews">Review history</h2>
        <ul>
          {(item.reviews ?? []).map((review, i) => (
            <li key={i}>
              {review.from.toLowerCase()} → {review.to.toLowerCase()} by {review.by.name}, {when.format(new Date(review.at))}
              {review.comment && <>: “{review.comment}”</>}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
