// Hive Gateway as it ships: no extra options (the bench adds --hive-router-runtime for the Rust planner).
import { defineConfig } from "@graphql-hive/gateway";

export const gatewayConfig = defineConfig({});
