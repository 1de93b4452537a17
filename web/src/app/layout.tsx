import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { SignOut } from "@/components/SignOut";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Soundcore Help Centre", template: "%s · Soundcore Help Centre" },
  description: "Product help, known issues and their solutions, and support for Soundcore audio.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip" href="#content">
          Skip to content
        </a>
        <header className="site">
          <Link className="brand" href="/">
            Soundcore Help Centre
          </Link>
          <nav aria-label="Main">
            <Link href="/search">Search</Link>
            <Link href="/ask">Ask a question</Link>
            <Link href="/portal">My tickets</Link>
            <Link href="/agent">Agent console</Link>
            <Link href="/studio">Content studio</Link>
            <Link href="/analytics">Analytics</Link>
          </nav>
          <SignOut />
        </header>
        <main id="content">{children}</main>
      </body>
    </html>
  );
}
