import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // The monorepo's root has its own lockfiles (tests' npm folders); this app is its own root.
  turbopack: { root: __dirname },
  outputFileTracingRoot: __dirname,
  // Next writes AGENTS.md files into the app unless told not to; they are not ours to commit.
  agentRules: false,
  experimental: { agentUpgrade: false },
};

export default nextConfig;
