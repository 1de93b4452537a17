import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectAccessible } from "./axe";

const PASSWORD = "soundcore-demo";

async function signIn(page: Page, email: string, open = true): Promise<void> {
  if (open) await page.goto("/signin");
  await page.getByLabel("E-mail address").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function session(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email);
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
  return page;
}

test("a failed sign-in says so and keeps the e-mail address", async ({ page }) => {
  await page.goto("/signin");
  await expectAccessible(page);
  await page.getByLabel("E-mail address").fill("customer@soundcore.example");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("p.problem")).toBeVisible();
  await expect(page.getByLabel("E-mail address")).toHaveValue("customer@soundcore.example");
});

test("the session lives in httpOnly cookies, and forged requests are refused", async ({ browser }) => {
  const page = await session(browser, "customer@soundcore.example");
  const cookies = await page.context().cookies();
  for (const name of ["kcp_at", "kcp_rt"]) {
    const cookie = cookies.find((c) => c.name === name);
    expect(cookie, name).toBeDefined();
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.secure).toBe(true);
    expect(cookie?.sameSite).toBe("Lax");
  }
  expect(await page.evaluate(() => document.cookie)).not.toContain("kcp_rt");
  // Without the CSRF header, or from another origin, a state-changing call is refused.
  const bare = await page.request.post("/api/action", { data: { action: "reply", input: {} } });
  expect(bare.status()).toBe(403);
  const forged = await page.request.post("/api/action", {
    data: { action: "reply", input: {} },
    headers: { "x-kcp-csrf": "1", origin: "https://evil.example" },
  });
  expect(forged.status()).toBe(403);
});

type TrackCall = { action?: string; input?: { events?: { kind: string; productId?: string; solutionId?: string }[] } };

test("a customer whom a suggested solution helped sends no ticket, and analytics stores the deflection", async ({ browser }) => {
  const customer = await session(browser, "customer@soundcore.example");
  await customer.getByRole("link", { name: "Open a new ticket" }).click();
  await customer.getByLabel("Product").selectOption({ label: "Liberty 4 NC" });
  // Words every suggestion must match (the platform under test searches by keyword only).
  await customer.getByLabel("Subject").fill("Charging contacts");
  await customer.getByLabel("What happens?").fill("The charging contacts");
  await customer.getByRole("button", { name: "Continue" }).click();
  await expect(customer.getByRole("heading", { level: 2, name: "These solutions may help" })).toBeVisible();
  const tracked = customer.waitForResponse((response) => {
    if (!response.url().endsWith("/api/action")) return false;
    const call = response.request().postDataJSON() as TrackCall;
    return call.action === "track" && (call.input?.events ?? []).some((event) => event.kind === "TICKET_DEFLECTED");
  });
  await customer.getByRole("button", { name: "This solved it" }).first().click();
  const response = await tracked;
  const [event] = (response.request().postDataJSON() as TrackCall).input?.events ?? [];
  expect(event.productId).toBe("prd-liberty-4-nc");
  expect(event.solutionId).toMatch(/^sol-/);
  // The router took it through the trusted document, and analytics stored it (no error, an id back).
  const answer = (await response.json()) as { error?: string; data?: { trackEvents?: { id: string }[] } };
  expect(answer.error).toBeUndefined();
  expect(answer.data?.trackEvents?.[0]?.id).toMatch(/^evt-/);
  await expect(customer.getByRole("status")).toHaveText("Glad that helped. No ticket was opened.");
  await expectAccessible(customer);
});

test("a customer opens a ticket after seeing suggestions; an agent replies and the customer sees it", async ({ browser }) => {
  const customer = await session(browser, "customer@soundcore.example");
  await expect(customer.getByRole("heading", { level: 1, name: "My tickets" })).toBeVisible();
  await expectAccessible(customer);
  await customer.getByRole("link", { name: "Open a new ticket" }).click();
  await customer.getByLabel("Product").selectOption({ label: "Liberty 4 NC" });
  const subject = `Left earbud not charging ${Date.now()}`;
  await customer.getByLabel("Subject").fill(subject);
  await customer.getByLabel("What happens?").fill("The left earbud stays at 0% in the charging case.");
  await expectAccessible(customer);
  await customer.getByRole("button", { name: "Continue" }).click();
  await expect(customer.getByRole("heading", { level: 2, name: "These solutions may help" })).toBeVisible();
  await expectAccessible(customer);
  await customer.getByRole("button", { name: "Send the ticket" }).click();
  await expect(customer.getByRole("heading", { level: 1, name: subject })).toBeVisible();
  await expectAccessible(customer);

  const agent = await session(browser, "agent@soundcore.example");
  await expect(agent.getByRole("heading", { level: 1, name: "Ticket queue" })).toBeVisible();
  await expectAccessible(agent);
  await agent.getByLabel("Status").selectOption("OPEN");
  await agent.getByLabel("Sort").selectOption("NEWEST");
  await agent.getByRole("button", { name: "Apply" }).click();
  await agent.getByRole("link", { name: subject }).click();
  await expect(agent.getByRole("heading", { level: 2, name: "Suggested solutions" })).toBeVisible();
  await expectAccessible(agent);
  await agent.getByLabel("Internal note (the customer never sees it)").check();
  await agent.getByLabel("Reply or note").fill("Customer probably needs a case reset.");
  await agent.getByRole("button", { name: "Add note" }).click();
  // In the thread, once the page has reloaded with it: the textarea holding the typed text would match too.
  const thread = agent.getByRole("list", { name: "Messages" });
  await expect(thread.getByText("Customer probably needs a case reset.")).toBeVisible();
  await agent.getByLabel("Internal note (the customer never sees it)").uncheck();
  await agent.getByLabel("Reply or note").fill("Please reset the charging case: hold its button for 10 seconds.");
  await agent.getByRole("button", { name: "Send reply" }).click();
  await expect(thread.getByText("Please reset the charging case: hold its button for 10 seconds.")).toBeVisible();
  await agent.getByRole("button", { name: "Assign to me" }).click();
  await expect(agent.getByText(/assigned to (?!nobody)/)).toBeVisible();

  await customer.reload();
  await expect(customer.getByText("Please reset the charging case: hold its button for 10 seconds.")).toBeVisible();
  await expect(customer.getByText("Customer probably needs a case reset.")).toHaveCount(0);
});

test("a session that ends mid-form keeps the draft and says what to do", async ({ browser }) => {
  const customer = await session(browser, "customer@soundcore.example");
  await customer.getByRole("link", { name: "Open a new ticket" }).click();
  await customer.getByLabel("Product").selectOption({ label: "Liberty 4 NC" });
  await customer.getByLabel("Subject").fill("Hiss in the right earbud");
  await customer.getByLabel("What happens?").fill("A faint hiss when nothing plays.");
  await customer.getByRole("button", { name: "Continue" }).click();
  await expect(customer.getByRole("heading", { level: 2, name: "These solutions may help" })).toBeVisible();
  await customer.context().clearCookies();
  await customer.getByRole("button", { name: "Send the ticket" }).click();
  await expect(customer.locator("p.problem")).toContainText("Your session has ended");
  await expect(customer.getByLabel("What happens?")).toHaveValue("A faint hiss when nothing plays.");
  await customer.reload();
  await expect(customer).toHaveURL(/\/signin\?next=/);
  await signIn(customer, "customer@soundcore.example", false);
  await expect(customer).toHaveURL(/\/portal\/new/);
  await expect(customer.getByLabel("Subject")).toHaveValue("Hiss in the right earbud");
});
