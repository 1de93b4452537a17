// Hive Gateway with identical in-flight client requests answered by one execution.
import { defineConfig } from "@graphql-hive/gateway";

export const gatewayConfig = defineConfig({ inboundInflightRequestDeduplication: true });
