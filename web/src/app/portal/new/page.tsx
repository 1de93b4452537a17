import type { Metadata } from "next";
import { NewTicketForm } from "@/components/NewTicketForm";
import { ProductChoicesDocument } from "@/gql/graphql";
import { execute } from "@/lib/api";
import { requireSignIn } from "@/lib/guard";
import { ApiProblem } from "@/components/ApiProblem";

export const metadata: Metadata = { title: "New ticket" };

export default async function NewTicket() {
  await requireSignIn("/portal/new");
  const { data, errors } = await execute(ProductChoicesDocument, {}, { revalidate: 300 });
  const products = data?.products?.edges.map((edge) => edge.node) ?? [];
  return (
    <>
      <h1>New ticket</h1>
      <ApiProblem errors={errors} />
      <NewTicketForm products={products} />
    </>
  );
}
