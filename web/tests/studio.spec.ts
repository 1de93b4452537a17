import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectAccessible } from "./axe";

async function session(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/signin");
  await page.getByLabel("E-mail address").fill(email);
  await page.getByLabel("Password").fill("soundcore-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
  return page;
}

test("an editor generates a draft and moves it through review to published", async ({ browser }) => {
  const editor = await session(browser, "editor@soundcore.example");
  await expect(editor.getByRole("heading", { level: 1, name: "Content studio" })).toBeVisible();
  await expectAccessible(editor);
  await editor.getByLabel("Draft from the facts of").selectOption({ label: "Liberty 4 NC" });
  await editor.getByLabel("Kind").selectOption("FAQ_DRAFT");
  await editor.getByRole("button", { name: "Generate a draft" }).click();
  await expect(editor).toHaveURL(/\/studio\/items\//);
  const status = editor.locator("p.muted .badge");
  await expect(status).toHaveText("draft");
  await expectAccessible(editor);
  for (const [button, next] of [
    ["Submit for review", "in review"],
    ["Approve", "approved"],
    ["Publish", "published"],
  ] as const) {
    await editor.getByRole("button", { name: button }).click();
    await expect(status).toHaveText(next);
  }
  await expect(editor.getByRole("heading", { level: 2, name: "Review history" })).toBeVisible();
  await expect(editor.getByText(/approved → published by/)).toBeVisible();
});

test("an editor compares two revisions of an item", async ({ browser }) => {
  const editor = await session(browser, "editor@soundcore.example");
  await editor.goto("/studio/items/cnt-0014?from=1&to=2");
  await expect(editor.getByLabel("Changes from revision 1 to 2")).toBeVisible();
  await expectAccessible(editor);
});

test("an analyst changes the range and the charts change", async ({ browser }) => {
  const analyst = await session(browser, "analyst@soundcore.example");
  await expect(analyst.getByRole("heading", { level: 1, name: "Analytics" })).toBeVisible();
  await expectAccessible(analyst);
  const volume = analyst.getByRole("img", { name: /^Search volume: / });
  const before = await volume.getAttribute("aria-label");
  const bars = await volume.locator("rect").count();
  await analyst.getByLabel("From", { exact: true }).fill("2026-03-01");
  await analyst.getByLabel("To", { exact: true }).fill("2026-04-01");
  await analyst.getByLabel("Buckets").selectOption("DAY");
  await analyst.getByRole("button", { name: "Update" }).click();
  await expect(analyst).toHaveURL(/from=2026-03-01/);
  await expect(volume).not.toHaveAttribute("aria-label", before ?? "");
  expect(await volume.locator("rect").count()).not.toBe(bars);
  await expectAccessible(analyst);
});
