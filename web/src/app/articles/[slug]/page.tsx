import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ApiProblem } from "@/components/ApiProblem";
import { Feedback } from "@/components/Feedback";
import { Track } from "@/components/Track";
import { ArticlePageDocument, ArticleSlugsDocument } from "@/gql/graphql";
import { execute, throwIfUnreachable } from "@/lib/api";

export const revalidate = 300;

export async function generateStaticParams(): Promise<{ slug: string }[]> {
  const { data } = await execute(ArticleSlugsDocument, {}, { revalidate });
  return data?.articles?.edges.map((edge) => ({ slug: edge.node.slug })) ?? [];
}

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  const { data } = await execute(ArticlePageDocument, { slug }, { revalidate });
  return { title: data?.articleBySlug?.title ?? "Article" };
}

// Article bodies are Markdown-like text: "## " starts a section, blank lines end paragraphs.
function Body({ text }: { text: string }) {
  return (
    <>
      {text.split(/\n{2,}/).map((block, i) => {
        const heading = block.match(/^#{2,3} (.*)/);
        if (heading) return <h2 key={i}>{heading[1]}</h2>;
        const items = block.split("\n").filter((line) => /^(\d+\.|-) /.test(line));
        if (items.length > 0 && items.length === block.split("\n").length) {
          return (
            <ul key={i}>
              {items.map((item, j) => (
                <li key={j}>{item.replace(/^(\d+\.|-) /, "")}</li>
              ))}
            </ul>
          );
        }
        return <p key={i}>{block}</p>;
      })}
    </>
  );
}

export default async function ArticlePage({ params }: Props) {
  const { slug } = await params;
  const { data, errors } = await execute(ArticlePageDocument, { slug }, { revalidate });
  throwIfUnreachable(errors);
  if (errors.length > 0 && !data?.articleBySlug) return <ApiProblem errors={errors} />;
  const article = data?.articleBySlug;
  if (!article) notFound();
  return (
    <article>
      <p className="muted">
        <Link href="/">Help centre</Link> › {article.kind.toLowerCase().replace("_", " ")}
      </p>
      <h1>{article.title}</h1>
      <p className="muted">
        Version {article.version} · {article.locale}
        {article.tags.length > 0 && <> · {article.tags.join(", ")}</>}
      </p>
      <Body text={article.body} />
      <Feedback articleId={article.id} />
      <Track events={[{ kind: "PAGE_VIEW" }, { kind: "ARTICLE_VIEW", articleId: article.id }]} />
    </article>
  );
}
