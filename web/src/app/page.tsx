import Link from "next/link";
import { ApiProblem } from "@/components/ApiProblem";
import { Track } from "@/components/Track";
import { HomePageDocument } from "@/gql/graphql";
import { execute, throwIfUnreachable } from "@/lib/api";

export const revalidate = 300;

export default async function Home() {
  const { data, errors } = await execute(HomePageDocument, {}, { revalidate });
  throwIfUnreachable(errors);
  const products = data?.products?.edges.map((edge) => edge.node) ?? [];
  const categories = data?.categories ?? [];
  return (
    <>
      <h1>How can we help?</h1>
      <form className="inline panel" action="/search" role="search">
        <div>
          <label htmlFor="q">Search the help centre</label>
          <input id="q" name="q" type="search" size={40} placeholder="e.g. left earbud not charging" required />
        </div>
        <button type="submit">Search</button>
        <Link href="/ask">or ask a question</Link>
      </form>
      <ApiProblem errors={errors} />
      {categories.map((category) => {
        const inCategory = products.filter((product) => product.category.name === category.name);
        if (inCategory.length === 0) return null;
        return (
          <section key={category.id} aria-labelledby={`cat-${category.slug}`}>
            <h2 id={`cat-${category.slug}`}>{category.name}</h2>
            <ul className="grid">
              {inCategory.map((product) => (
                <li key={product.id}>
                  <Link href={`/products/${product.slug}`}>{product.name}</Link>
                  <div className="muted">{product.series}</div>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
      <Track events={[{ kind: "PAGE_VIEW" }]} />
    </>
  );
}
