import type { Metadata } from "next";
import Link from "next/link";
import { ApiProblem } from "@/components/ApiProblem";
import { GenerateForm } from "@/components/StudioControls";
import { ProductChoicesDocument, StudioItemsDocument, type ContentStatus } from "@/gql/graphql";
import { execute } from "@/lib/api";
import { requireSignIn } from "@/lib/guard";

export const metadata: Metadata = { title: "Content studio" };

const STATUSES: ContentStatus[] = ["DRAFT", "IN_REVIEW", "APPROVED", "PUBLISHED"];
const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

type Props = { searchParams: Promise<{ product?: string; status?: string }> };

export default async function Studio({ searchParams }: Props) {
  const { token } = await requireSignIn("/studio");
  const params = await searchParams;
  const status = STATUSES.find((s) => s === params.status) ?? null;
  const productId = params.product || null;
  const [items, choices] = await Promise.all([
    execute(StudioItemsDocument, { productId, status }, { token }),
    execute(ProductChoicesDocument, {}, { revalidate: 300 }),
  ]);
  const products = choices.data?.products?.edges.map((edge) => edge.node) ?? [];
  const rows = items.data?.contentItems?.edges.map((edge) => edge.node) ?? [];
  return (
    <>
      <h1>Content studio</h1>
      <form className="inline panel" action="/studio">
        <div>
          <label htmlFor="product">Product</label>
          <select id="product" name="product" defaultValue={productId ?? ""}>
            <option value="">Any</option>
            {products.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="status">Status</label>
          <select id="status" name="status" defaultValue={status ?? ""}>
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.toLowerCase().replace("_", " ")}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Show</button>
      </form>
      <GenerateForm products={products} />
      <ApiProblem errors={items.errors} />
      {items.data && <p>{items.data.contentItems?.totalCount ?? 0} items</p>}
      {rows.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Kind</th>
              <th scope="col">Product</th>
              <th scope="col">Status</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((item) => (
              <tr key={item.id}>
                <td>
                  <Link href={`/studio/items/${item.id}`}>{item.title}</Link>
                </td>
                <td>{item.kind.toLowerCase().replaceAll("_", " ")}</td>
                <td>{item.product?.name}</td>
                <td>{item.status.toLowerCase().replace("_", " ")}</td>
                <td>{when.format(new Date(item.updatedAt))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
