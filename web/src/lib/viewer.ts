// Who is asking, for server components and route handlers: the access token from its cookie.
import "server-only";
import { cookies } from "next/headers";
import { ACCESS_COOKIE, USER_COOKIE, parseUser, type SignedInUser } from "@/lib/session";

export async function accessToken(): Promise<string | null> {
  return (await cookies()).get(ACCESS_COOKIE)?.value ?? null;
}

export async function signedInUser(): Promise<SignedInUser | null> {
  return parseUser((await cookies()).get(USER_COOKIE)?.value);
}
