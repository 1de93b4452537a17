import type { Metadata } from "next";
import { SignInForm } from "@/components/SignInForm";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ next?: string }> };

export default async function SignIn({ searchParams }: Props) {
  const { next = "" } = await searchParams;
  // Only a path of this site: never an open redirect.
  const target = next.startsWith("/") && !next.startsWith("//") ? next : "";
  return (
    <>
      <h1>Sign in</h1>
      <SignInForm next={target} />
      <p className="muted">Demo accounts: customer@, agent@, editor@, analyst@soundcore.example, password soundcore-demo.</p>
    </>
  );
}
