import type { Metadata } from "next";
import Link from "next/link";
import { ApiProblem } from "@/components/ApiProblem";
import { Highlighted } from "@/components/Highlighted";
import { Track } from "@/components/Track";
import { TrackedLink } from "@/components/TrackedLink";
import { SearchPageDocument, type ArticleKind, type SearchResultKind } from "@/gql/graphql";
import { execute } from "@/lib/api";

export const metadata: Metadata = { title: "Search" };

const KINDS: Record<string, SearchResultKind[] | null> = { all: null, articles: ["ARTICLE"], solutions: ["SOLUTION"] };
const ARTICLE_KINDS: ArticleKind[] = ["FAQ", "GUIDE", "TROUBLESHOOTING", "RELEASE_NOTE"];

type Props = { searchParams: Promise<{ q?: string; type?: string; articleKind?: string }> };

export default async function SearchPage({ searchParams }: Props) {
  const { q = "", type = "all", articleKind = "" } = await searchParams;
  const query = q.trim().slice(0, 500);
  const kind = ARTICLE_KINDS.find((k) => k === articleKind) ?? null;
  const result = query
    ? await execute(SearchPageDocument, { query, kinds: KINDS[type] ?? null, articleKind: kind, first: 20 }, { revalidate: 60 })
    : null;
  const hits = result?.data?.search?.edges.map((edge) => edge.node) ?? [];
  return (
    <>
      <h1>Search</h1>
      <form className="inline panel" role="search" action="/search">
        <div>
          <label htmlFor="q">Search for</label>
          <input id="q" name="q" type="search" size={36} defaultValue={query} required />
        </div>
        <div>
          <label htmlFor="type">Show</label>
          <select id="type" name="type" defaultValue={type}>
            <option value="all">Articles and solutions</option>
            <option value="articles">Articles only</option>
            <option value="solutions">Solutions only</option>
          </select>
        </div>
        <div>
          <label htmlFor="articleKind">Article kind</label>
          <select id="articleKind" name="articleKind" defaultValue={kind ?? ""}>
            <option value="">Any</option>
            {ARTICLE_KINDS.map((k) => (
              <option key={k} value={k}>
                {k.toLowerCase().replace("_", " ")}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Search</button>
      </form>
      {result && <ApiProblem errors={result.errors} />}
      {query && result?.data && (
        <>
          <h2>
            {hits.length} result{hits.length === 1 ? "" : "s"} for “{query}”
          </h2>
          {hits.length === 0 && (
            <p>
              Nothing matched. Try other words, or <Link href={`/ask?q=${encodeURIComponent(query)}`}>ask the question</Link>.
            </p>
          )}
          <ol>
            {hits.map((hit, i) => {
              const r = hit.result;
              return (
                <li key={i} className="panel">
                  {r.__typename === "Article" ? (
                    <TrackedLink href={`/articles/${r.slug}`} event={{ kind: "SEARCH_CLICK", articleId: r.id, query }}>
                      <Highlighted text={hit.titleHighlight} />
                    </TrackedLink>
                  ) : (
                    <strong>
                      <Highlighted text={hit.titleHighlight} />
                    </strong>
                  )}{" "}
                  <span className="badge">{r.__typename === "Article" ? r.kind.toLowerCase() : "solution"}</span>
                  <p>
                    <Highlighted text={hit.highlight} />
                  </p>
                </li>
              );
            })}
          </ol>
          <Track events={[{ kind: "SEARCH", query, resultCount: hits.length }]} />
        </>
      )}
    </>
  );
}
