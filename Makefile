# The two commands a newcomer needs: `make dev` runs the platform, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

APOLLO := tests/router/apollo
APOLLO_STAMP := $(APOLLO)/node_modules/.installed
HTTP_AUDIT := tests/e2e/http_audit
HTTP_AUDIT_STAMP := $(HTTP_AUDIT)/node_modules/.installed
APOLLO_CLIENT := tests/e2e/apollo_client
APOLLO_CLIENT_STAMP := $(APOLLO_CLIENT)/node_modules/.installed
DIFFERENTIAL := bench/differential/gateway
DIFFERENTIAL_STAMP := $(DIFFERENTIAL)/node_modules/.installed

.PHONY: dev test lint seed clean bench-gateways differential hostile

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "KCP needs Python >= 3.11 (set PYTHON=...)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# setuptools warns on every editable install that a folder may shadow the package: it is the package.
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

dev: $(STAMP)
	$(BIN)/kcp dev

# Apollo's reference composition (npm), which a test compares our composer against. Without
# npm the test skips locally and fails under CI.
$(APOLLO_STAMP): $(APOLLO)/package.json $(APOLLO)/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --prefix $(APOLLO) --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the comparison with Apollo's composition will be skipped"; fi

# graphql-http's GraphQL-over-HTTP server audit (npm), run against the router by an e2e test.
$(HTTP_AUDIT_STAMP): $(HTTP_AUDIT)/package.json $(HTTP_AUDIT)/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --prefix $(HTTP_AUDIT) --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the GraphQL-over-HTTP audit will be skipped"; fi

# Apollo Client with its persisted-queries link, run against the router by an e2e test.
$(APOLLO_CLIENT_STAMP): $(APOLLO_CLIENT)/package.json $(APOLLO_CLIENT)/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --prefix $(APOLLO_CLIENT) --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the Apollo Client test will be skipped"; fi

# Apollo Gateway over our subgraphs, which the differential test compares our router with.
$(DIFFERENTIAL_STAMP): $(DIFFERENTIAL)/package.json $(DIFFERENTIAL)/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --prefix $(DIFFERENTIAL) --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the differential test against Apollo Gateway will be skipped"; fi

# Lint and types are part of the suite: a change that breaks them does not land.
test: $(STAMP) $(APOLLO_STAMP) $(HTTP_AUDIT_STAMP) $(APOLLO_CLIENT_STAMP) $(DIFFERENTIAL_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest
	@# With the four real servers of scripts/services configured (CI), the end-to-end suite runs a
	@# second time with every process on them: PostgreSQL, MongoDB (FerretDB), Neo4j and Redis.
	@if [ -n "$$KCP_TEST_DATABASE_URL" ] && [ -n "$$KCP_TEST_MONGODB_URI" ] \
		&& [ -n "$$KCP_TEST_NEO4J_URI" ] && [ -n "$$KCP_TEST_REDIS_URL" ]; then \
		echo "end-to-end suite again, every process on the real servers"; \
		KCP_TEST_E2E_ON_REAL_STORES=1 $(BIN)/pytest tests/e2e --deselect tests/e2e/test_dev_command.py \
		&& echo "fault campaign, short form: subgraphs killed, paused, garbled; each store cut behind a relay" \
		&& $(BIN)/python -m bench.faults --short --stores relays; \
	else echo "real servers not configured (scripts/services): the end-to-end suite ran on the embedded stores only"; fi
	@# The web app: its generated types and manifest are current, then the browser tests (web-test
	@# installs Debian's chromium when missing). Without npm they are skipped, and under CI they fail.
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory web-check web-test; \
	elif [ -n "$$CI" ]; then echo "npm not found: the web app's browser tests cannot run"; exit 1; \
	else echo "npm not found: the web app's checks and browser tests are skipped"; fi

# Our router against Apollo Gateway and Hive Gateway (bench/gateways/README.md). Needs node, npm
# and wrk (Debian's package); the gateways and subgraphs are installed by npm ci on first run.
bench-gateways: $(STAMP)
	@command -v wrk >/dev/null || { echo "wrk not found: installing Debian's package"; apt-get install -y wrk; }
	$(BIN)/python -m bench.gateways $(ARGS)

# Our router against Apollo Gateway on our own graph: 10,000 generated operations, anonymous and as
# each demo role; prints the counts per role and every unexplained difference (ARGS="--count 1000").
differential: $(STAMP) $(DIFFERENTIAL_STAMP)
	$(BIN)/python -m bench.differential $(ARGS)

# Hostile input against the router and each subgraph (ports 18100-18105, embedded stores), 90 s each:
# requests, 5xx, non-JSON, timeouts and RSS per process; exits 1 on any failure (ARGS="--seconds 30").
hostile: $(STAMP)
	$(BIN)/python -m bench.hostile $(ARGS)

seed: $(STAMP)
	$(BIN)/kcp seed

.PHONY: migrate services-up services-down test-real

migrate: $(STAMP)
	$(BIN)/kcp migrate

# Real PostgreSQL and Redis (and MongoDB, Neo4j where their plug-ins exist) on 127.0.0.1,
# data under $${KCP_SERVICES_DIR:-/tmp/kcp-services}; `eval "$$(scripts/services env)"` exports their URLs.
services-up:
	scripts/services up

services-down:
	scripts/services down

# What CI runs: the whole suite with the contract tests against the real servers.
test-real:
	bash .ci/run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf .kcp .pytest_cache .mypy_cache .ruff_cache $(APOLLO)/node_modules $(HTTP_AUDIT)/node_modules $(APOLLO_CLIENT)/node_modules $(DIFFERENTIAL)/node_modules

# ---- Shipping (README "Deploy"); the logic is in scripts/deploy/, each prints what it proves ----
.PHONY: deploy-check containers-smoke ci-local

# docker-compose config; both k8s overlays rendered and applied server-side (--dry-run=server) to a
# real kube-apiserver on loopback (built once from the Go module proxy, ~7 min); a broken manifest
# refused; checkov. Non-zero on any failure.
deploy-check: $(STAMP)
	@# Debian's docker-compose (compose config) and etcd-server (the loopback API server), once per machine.
	@command -v docker-compose >/dev/null && command -v etcd >/dev/null || { \
		echo "installing Debian's docker-compose and etcd-server"; \
		apt-get install -y -qq docker-compose etcd-server \
		|| { apt-get update -qq && apt-get install -y -qq docker-compose etcd-server; }; }
	scripts/deploy/deploy-check.sh

# The image built with Podman on a local Debian base; router + five subgraphs as containers against
# the real servers of scripts/services; the README's product query through the router container.
containers-smoke: $(STAMP)
	scripts/deploy/containers-smoke.sh

# .gitlab-ci.yml's lint and test jobs with gitlab-ci-local (pinned in scripts/deploy/ci-local).
ci-local: $(STAMP)
	scripts/deploy/ci-local.sh

.PHONY: soak faults

# The platform for 30 minutes under mixed reads and writes, RSS of every process sampled; prints
# each process's growth after a 3-minute warm-up and support's growth per 1,000 records written.
soak: $(STAMP)
	$(BIN)/python bench/soak.py $(ARGS)

# Under mixed load through the router: a subgraph killed, one paused (SIGSTOP), one answering
# garbage, then Redis, PostgreSQL, FerretDB and Neo4j stopped in turn; on the campaign's own servers
# (scripts/services in /tmp/kcp-faults, ports 19432/19379/19017/19687). Prints the fault table.
faults: $(STAMP)
	$(BIN)/python -m bench.faults $(ARGS)

.PHONY: ops-check drill drill-large

# The monitoring files as Prometheus itself reads them: the rules, their unit tests (a firing and
# a quiet case per alert), the scrape configuration, the dashboards and the Fluent Bit parsers.
# promtool comes with Debian's prometheus package, installed here when missing (as root).
ops-check: $(STAMP)
	@command -v promtool >/dev/null || { echo "promtool not found: installing Debian's prometheus package"; \
		apt-get install -y --no-install-recommends prometheus >/dev/null; }
	promtool check rules monitoring/prometheus/rules.yml
	promtool test rules monitoring/prometheus/rules.test.yml
	@# The compose file mounts rules.yml at /etc/prometheus/; checked here beside a copy of it.
	@tmp=$$(mktemp -d) && cp monitoring/prometheus/rules.yml $$tmp/ \
		&& sed "s#/etc/prometheus/rules.yml#$$tmp/rules.yml#" monitoring/prometheus/prometheus.yml > $$tmp/prometheus.yml \
		&& promtool check config $$tmp/prometheus.yml; status=$$?; rm -rf $$tmp; exit $$status
	$(BIN)/pytest -q tests/monitoring

# The restore drill (docs/operations.md): seed, back up, wipe, restore, compare every record. On the
# configured stores (embedded by default); drill-large uses a generated dataset 100x the demo's.
drill: $(STAMP)
	$(BIN)/kcp drill $(ARGS)

drill-large: $(STAMP)
	$(BIN)/kcp drill --scale 100 $(ARGS)

.PHONY: web-check web-test web-figures

# The Next.js app in web/ (README "The web app"). Its packages are pinned by its lockfile.
WEB := web
WEB_STAMP := $(WEB)/node_modules/.installed
$(WEB_STAMP): $(WEB)/package.json $(WEB)/package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: the web app needs Node.js 20+ with npm"; exit 1; }
	npm ci --prefix $(WEB) --no-audit --no-fund --loglevel=error && touch $@

# Fast: the generated types and the trusted-document manifest (schema/persisted/web.json) are
# current, and the app type-checks.
web-check: $(WEB_STAMP)
	cd $(WEB) && npx graphql-codegen --config codegen.ts --check && node scripts/manifest.mjs --check && npx tsc --noEmit

# Playwright in Debian's Chromium against the platform (router with KCP_PERSISTED_FREEFORM=enforce)
# and `next build` + `next start`, all started by the tests on ports 13000 and 13100-13105; axe-core
# on every page. Installs Debian's chromium when it is missing (as root). ~4-6 min on two busy cores.
web-test: $(STAMP) $(WEB_STAMP)
	@# A fresh machine's apt lists may be empty or old: update once when the first try fails.
	@command -v chromium >/dev/null || { echo "chromium not found: installing Debian's package"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
		|| { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; }
	cd $(WEB) && npx playwright test

# The closing note's figures: first-load JS per route (from next build), the product page's TTFB
# and LCP in headless Chromium, the manifest's operation count; screenshots into docs/web/.
web-figures: $(STAMP) $(WEB_STAMP)
	cd $(WEB) && KCP_WEB_FIGURES=1 npx playwright test --grep @figures
