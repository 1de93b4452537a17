import { expect, test } from "@playwright/test";
import { expectAccessible } from "./axe";

test("search, then an article from the results", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "How can we help?" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Search the help centre").fill("charging");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\/search\?q=charging/);
  await expect(page.getByRole("heading", { level: 2, name: /results? for “charging”/ })).toBeVisible();
  await expect(page.locator("mark").first()).toBeVisible();
  await expectAccessible(page);
  // Filters: articles only.
  await page.getByLabel("Show").selectOption("articles");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/type=articles/);
  const first = page.locator("ol > li a[href^='/articles/']").first();
  const title = (await first.innerText()).trim();
  await first.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(page.getByRole("group", { name: "Was this article helpful?" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Yes" }).click();
  await expect(page.getByRole("status")).toHaveText("Thank you for your feedback.");
});

test("a product page, a known issue and its solution", async ({ page }) => {
  await page.goto("/products/liberty-4-nc");
  await expect(page.getByRole("heading", { level: 1, name: "Liberty 4 NC" })).toBeVisible();
  for (const section of ["Known issues", "Specifications", "Features", "Works with", "Firmware history", "Articles", "In the knowledge graph"]) {
    await expect(page.getByRole("heading", { level: 2, name: section })).toBeVisible();
  }
  await expect(page.getByRole("img", { name: /records within two relations/ })).toBeVisible();
  await expectAccessible(page);
  const issue = page.locator("details.panel").first();
  await expect(issue.getByRole("heading", { level: 3 })).toBeHidden();
  await issue.locator("summary").click();
  await expect(issue.getByRole("heading", { level: 3, name: /^Solution: / }).first()).toBeVisible();
  await expect(issue.locator("ol > li").first()).toBeVisible();
  await expectAccessible(page);
});

test("a question answered with citations, or an honest 'we don't know'", async ({ page }) => {
  await page.goto("/ask");
  await expectAccessible(page);
  await page.getByLabel("Your question").fill("How do I reset my earbuds?");
  await page.getByRole("button", { name: "Ask" }).click();
  const answer = page.getByRole("region", { name: /Answer|We don't know yet/ });
  await expect(answer).toBeVisible();
  await expectAccessible(page);
  const sources = answer.locator("li[id^='cite-'] a[href^='/articles/']");
  if ((await sources.count()) > 0) {
    await sources.first().click();
    await expect(page).toHaveURL(/\/articles\//);
  }
});

test("an unknown product is a clear not-found page", async ({ page }) => {
  const response = await page.goto("/products/no-such-product");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Not found" })).toBeVisible();
  await expectAccessible(page);
});
