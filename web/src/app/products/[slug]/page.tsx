import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ApiProblem } from "@/components/ApiProblem";
import { Neighbourhood } from "@/components/Neighbourhood";
import { Track } from "@/components/Track";
import { ProductPageDocument, ProductSlugsDocument } from "@/gql/graphql";
import { execute, throwIfUnreachable } from "@/lib/api";

export const revalidate = 300;

// Pages are built for every product the API lists at build time; a product added later is
// rendered on its first visit. An API that is down at build time builds none ahead.
export async function generateStaticParams(): Promise<{ slug: string }[]> {
  const { data } = await execute(ProductSlugsDocument, {}, { revalidate });
  return data?.products?.edges.map((edge) => ({ slug: edge.node.slug })) ?? [];
}

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  const { data } = await execute(ProductPageDocument, { slug }, { revalidate });
  return { title: data?.productBySlug?.name ?? "Product" };
}

const price = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

export default async function ProductPage({ params }: Props) {
  const { slug } = await params;
  const { data, errors } = await execute(ProductPageDocument, { slug }, { revalidate });
  throwIfUnreachable(errors);
  if (errors.length > 0 && !data?.productBySlug) return <ApiProblem errors={errors} />;
  const product = data?.productBySlug;
  if (!product) notFound();
  return (
    <article>
      <p className="muted">
        <Link href="/">Help centre</Link> › {product.category.name}
      </p>
      <h1>{product.name}</h1>
      <p>{product.description}</p>
      <p className="muted">
        {product.series} · SKU {product.sku} · {price.format(product.priceCents / 100)} · released{" "}
        {day.format(new Date(product.releasedAt))}
      </p>
      <ApiProblem errors={errors} />

      <section aria-labelledby="known-issues">
        <h2 id="known-issues">Known issues</h2>
        {product.knownIssues.length === 0 && <p>No known issues.</p>}
        {product.knownIssues.map((issue) => (
          <details key={issue.id} className="panel">
            <summary>
              <strong>{issue.title}</strong> <span className={`badge sev-${issue.severity}`}>{issue.severity.toLowerCase()}</span>{" "}
              <span className="badge">{issue.status.toLowerCase().replace("_", " ")}</span>
            </summary>
            <p>{issue.description}</p>
            {issue.symptoms.length > 0 && <p className="muted">Symptoms: {issue.symptoms.join("; ")}</p>}
            {issue.solutions.map((solution) => (
              <div key={solution.id}>
                <h3>Solution: {solution.title}</h3>
                <ol>
                  {solution.steps.map((step, index) => (
                    <li key={index}>{step}</li>
                  ))}
                </ol>
                <p className="muted">Worked for {Math.round(solution.successRate * 100)} % of customers.</p>
                {solution.articles.map((article) => (
                  <p key={article.id}>
                    Read more: <Link href={`/articles/${article.slug}`}>{article.title}</Link>
                  </p>
                ))}
              </div>
            ))}
          </details>
        ))}
      </section>

      <section aria-labelledby="specs">
        <h2 id="specs">Specifications</h2>
        <table>
          <tbody>
            {product.specs.map((spec) => (
              <tr key={spec.name}>
                <th scope="row">{spec.name}</th>
                <td>{spec.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="features">
        <h2 id="features">Features</h2>
        <ul>
          {product.features.map((feature) => (
            <li key={feature.id}>
              <strong>{feature.name}</strong>: {feature.description}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="compatible">
        <h2 id="compatible">Works with</h2>
        <ul>
          {[...product.compatibleWith, ...product.accessories].map((other) => (
            <li key={other.id}>
              <Link href={`/products/${other.slug}`}>{other.name}</Link>
            </li>
          ))}
        </ul>
        {product.compatibleWith.length + product.accessories.length === 0 && <p>No compatible products listed.</p>}
      </section>

      <section aria-labelledby="firmware">
        <h2 id="firmware">Firmware history</h2>
        <ul>
          {product.firmware.map((firmware) => (
            <li key={firmware.id}>
              {firmware.version} · {day.format(new Date(firmware.releasedAt))}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="articles">
        <h2 id="articles">Articles</h2>
        <ul>
          {product.articles.map((article) => (
            <li key={article.id}>
              <Link href={`/articles/${article.slug}`}>{article.title}</Link> <span className="muted">({article.kind.toLowerCase()})</span>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="graph">
        <h2 id="graph">In the knowledge graph</h2>
        <Neighbourhood center={product.name} related={product.related} />
      </section>
      <Track events={[{ kind: "PAGE_VIEW", productId: product.id }]} />
    </article>
  );
}
