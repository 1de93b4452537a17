// Private pages: without a session, to the sign-in page and back here afterwards.
import "server-only";
import { redirect } from "next/navigation";
import { accessToken, signedInUser } from "@/lib/viewer";
import type { SignedInUser } from "@/lib/session";

export async function requireSignIn(path: string): Promise<{ token: string; user: SignedInUser }> {
  const token = await accessToken();
  const user = await signedInUser();
  if (!token || !user) redirect(`/signin?next=${encodeURIComponent(path)}`);
  return { token, user };
}
