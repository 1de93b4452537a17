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
ENV PATH=/opt/kcp/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    KCP_HOST=0.0.0.0 \
    KCP_DATA_DIR=/data \
    KCP_LOG_JSON=true
RUN (groupadd --system --gid 10001 kcp && useradd --system --uid 10001 --gid kcp --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin kcp) \
    && mkdir -p /data && chown 10001:10001 /data
COPY --from=build /opt/kcp /opt/kcp
COPY --from=build /app /app
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
