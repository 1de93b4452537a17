import type { Metadata } from "next";
import { ApiProblem } from "@/components/ApiProblem";
import { BarList, ColumnChart } from "@/components/Charts";
import { AnalyticsPageDocument, type TimeBucket } from "@/gql/graphql";
import { execute } from "@/lib/api";
import { requireSignIn } from "@/lib/guard";

export const metadata: Metadata = { title: "Analytics" };

const BUCKETS: TimeBucket[] = ["HOUR", "DAY", "WEEK"];
// The demo's activity runs from January to October 2026 (README).
const DEFAULT_FROM = "2026-01-01";
const DEFAULT_TO = "2026-11-01";

function isoDay(value: string | undefined, fallback: string): string {
  return value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? value : fallback;
}

const percent = (value: number | null | undefined) => (value == null ? "—" : `${Math.round(value * 100)} %`);

type Props = { searchParams: Promise<{ from?: string; to?: string; bucket?: string }> };

export default async function Analytics({ searchParams }: Props) {
  const { token } = await requireSignIn("/analytics");
  const params = await searchParams;
  const from = isoDay(params.from, DEFAULT_FROM);
  const to = isoDay(params.to, DEFAULT_TO);
  const bucket = BUCKETS.find((b) => b === params.bucket) ?? "WEEK";
  const { data, errors } = await execute(
    AnalyticsPageDocument,
    { from: `${from}T00:00:00Z`, to: `${to}T00:00:00Z`, bucket },
    { token },
  );
  const m = data?.metrics;
  return (
    <>
      <h1>Analytics</h1>
      <form className="inline panel" action="/analytics">
        <div>
          <label htmlFor="from">From</label>
          <input id="from" name="from" type="date" defaultValue={from} />
        </div>
        <div>
          <label htmlFor="to">To</label>
          <input id="to" name="to" type="date" defaultValue={to} />
        </div>
        <div>
          <label htmlFor="bucket">Buckets</label>
          <select id="bucket" name="bucket" defaultValue={bucket}>
            {BUCKETS.map((b) => (
              <option key={b} value={b}>
                {b.toLowerCase()}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Update</button>
      </form>
      <ApiProblem errors={errors} />
      {m && (
        <>
          <ColumnChart title="Search volume" points={m.searchVolume} />
          <BarList title="Top queries" rows={m.topQueries.map((q) => ({ label: q.query, value: q.count }))} />
          <BarList
            title="Zero-result queries (content gaps)"
            rows={m.zeroResultQueries.map((q) => ({ label: q.query, value: q.count }))}
          />
          <BarList
            title="Article helpfulness (views)"
            rows={m.topArticles.map((a) => ({ label: a.article.title, value: a.views, note: `helpful ${percent(a.helpfulness)}` }))}
          />
          <BarList
            title="Tickets and deflection by product (created)"
            rows={m.ticketsByProduct.map((t) => ({
              label: t.product.name,
              value: t.created,
              note: `solved ${t.solved}, deflected ${t.deflected} (${percent(t.deflectionRate)}), avoided by self-service ${t.selfServiceDeflections}`,
            }))}
          />
          <ColumnChart title="Content generated" points={m.generationVolume} />
        </>
      )}
    </>
  );
}
