// Browser tests in Debian's Chromium (Playwright cannot download its own browsers here). They
// start what they need: the platform on embedded stores with KCP_PERSISTED_FREEFORM=enforce
// (tests/web/browser_platform.py, router on :13100, subgraphs on :13101-13105), then the app built
// against it and served by `next start` on :13000. KCP_WEB_SKIP_BUILD=1 reuses the last build.
import { defineConfig } from "@playwright/test";

const ROUTER_PORT = Number(process.env.KCP_WEB_TEST_ROUTER_PORT ?? 13100);
const APP_PORT = Number(process.env.KCP_WEB_TEST_PORT ?? 13000);
const routerUrl = `http://127.0.0.1:${ROUTER_PORT}/graphql`;
const build = process.env.KCP_WEB_SKIP_BUILD === "1" ? "" : "npx next build && ";

export default defineConfig({
  testDir: "tests",
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${APP_PORT}`,
    browserName: "chromium",
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox"] },
    trace: "off",
  },
  webServer: [
    {
      command: `cd .. && .venv/bin/python -m tests.web.browser_platform --router-port ${ROUTER_PORT}`,
      url: `http://127.0.0.1:${ROUTER_PORT}/health`,
      timeout: 300_000,
      reuseExistingServer: false,
      stdout: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    },
    {
      command: `${build}npx next start -p ${APP_PORT}`,
      url: `http://localhost:${APP_PORT}/signin`,
      timeout: 600_000,
      reuseExistingServer: false,
      env: { KCP_ROUTER_URL: routerUrl, NEXT_TELEMETRY_DISABLED: "1" },
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    },
  ],
});
