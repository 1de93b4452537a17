// The closing note's figures and the screenshots in docs/web/, printed by `make web-figures`
// (KCP_WEB_FIGURES=1; skipped otherwise). First-load JavaScript is what Next's build used to print
// per route: every script the route's HTML loads, gzipped, summed (shared chunks included).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { expect, test, type Browser, type Page } from "@playwright/test";

test.skip(process.env.KCP_WEB_FIGURES !== "1", "figures only with KCP_WEB_FIGURES=1 (make web-figures)");

const DOCS = join(__dirname, "..", "..", "docs", "web");

async function session(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto("/signin");
  await page.getByLabel("E-mail address").fill(email);
  await page.getByLabel("Password").fill("soundcore-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
  return page;
}

async function firstLoadKb(page: Page, path: string): Promise<number> {
  const html = await (await page.request.get(path)).text();
  // Every chunk the page references (script tags, preloads, the RSC payload's client chunks),
  // less the legacy polyfills of <script noModule>, which modern browsers never download.
  const legacy = new Set([...html.matchAll(/<script[^>]*src="([^"]+)"[^>]*noModule/g)].map((m) => m[1]));
  const scripts = new Set(
    [...html.matchAll(/\/_next\/static\/[^"'\s\\]+?\.js/g)].map((m) => m[0]).filter((src) => !legacy.has(src)),
  );
  let bytes = 0;
  for (const script of scripts) {
    bytes += gzipSync(readFileSync(join(__dirname, "..", ".next", "static", script.replace("/_next/static/", "")))).length;
  }
  return Math.round(bytes / 102.4) / 10;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

test("@figures first-load JS per route, product page TTFB and LCP, manifest size, screenshots", async ({ browser, page }) => {
  test.setTimeout(300_000);
  const lines: string[] = [];
  const manifest = JSON.parse(readFileSync(join(__dirname, "..", "..", "schema", "persisted", "web.json"), "utf8"));
  lines.push(`trusted documents in schema/persisted/web.json: ${manifest.operations.length} operations`);

  const publicRoutes = ["/", "/products/liberty-4-nc", "/search?q=charging", "/ask", "/signin"];
  const article = await (await page.request.get("/search?q=charging&type=articles")).text();
  const articlePath = article.match(/href="(\/articles\/[^"]+)"/)?.[1];
  if (articlePath) publicRoutes.splice(2, 0, articlePath);
  lines.push("first-load JS (gzip), public routes:");
  for (const route of publicRoutes) lines.push(`  ${route.padEnd(44)} ${(await firstLoadKb(page, route)).toFixed(1)} kB`);
  const agent = await session(browser, "agent@soundcore.example");
  const editor = await session(browser, "editor@soundcore.example");
  const analyst = await session(browser, "analyst@soundcore.example");
  const customer = await session(browser, "customer@soundcore.example");
  lines.push("first-load JS (gzip), signed-in routes:");
  for (const [who, route] of [
    [customer, "/portal"],
    [customer, "/portal/new"],
    [agent, "/agent"],
    [editor, "/studio"],
    [analyst, "/analytics"],
  ] as const) {
    lines.push(`  ${route.padEnd(44)} ${(await firstLoadKb(who, route)).toFixed(1)} kB`);
  }

  // TTFB and LCP of the product page, each load in a fresh context (no cache), after one warm-up.
  const ttfb: number[] = [];
  const lcp: number[] = [];
  for (let run = 0; run < 6; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const fresh = await context.newPage();
    await fresh.goto("/products/liberty-4-nc", { waitUntil: "load" });
    const timing = await fresh.evaluate(async () => {
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      const largest = await new Promise<number>((resolve) => {
        new PerformanceObserver((list) => {
          const entries = list.getEntries();
          resolve(entries[entries.length - 1]?.startTime ?? NaN);
        }).observe({ type: "largest-contentful-paint", buffered: true });
        setTimeout(() => resolve(NaN), 3000);
      });
      return { ttfb: nav.responseStart - nav.startTime, lcp: largest };
    });
    if (run > 0) {
      ttfb.push(timing.ttfb);
      lcp.push(timing.lcp);
    }
    await context.close();
  }
  lines.push(
    `product page /products/liberty-4-nc over loopback, 5 cold loads: TTFB median ${median(ttfb).toFixed(1)} ms ` +
      `(min ${Math.min(...ttfb).toFixed(1)}, max ${Math.max(...ttfb).toFixed(1)}); ` +
      `LCP median ${median(lcp).toFixed(1)} ms (min ${Math.min(...lcp).toFixed(1)}, max ${Math.max(...lcp).toFixed(1)})`,
  );

  // Screenshots of each area.
  const shots: [Page, string, string][] = [
    [page, "/", "help-centre.png"],
    [page, "/products/liberty-4-nc", "product.png"],
    [page, "/search?q=charging", "search.png"],
    [customer, "/portal", "portal.png"],
    [agent, "/agent", "agent-queue.png"],
    [editor, "/studio/items/cnt-0014?from=1&to=2", "studio.png"],
    [analyst, "/analytics", "analytics.png"],
  ];
  await page.setViewportSize({ width: 1280, height: 900 });
  for (const [who, route, file] of shots) {
    await who.goto(route);
    await expect(who.getByRole("heading", { level: 1 })).toBeVisible();
    await who.screenshot({ path: join(DOCS, file), fullPage: false });
  }
  console.log(`\n${lines.join("\n")}\n`);
});
