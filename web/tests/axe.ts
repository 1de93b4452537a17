import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

// Every page the tests open is checked: no serious or critical accessibility violation.
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const severe = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(severe, `accessibility violations on ${page.url()}`).toEqual([]);
}
