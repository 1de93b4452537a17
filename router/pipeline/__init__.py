"""The router as a pipeline, one stage a module, called in order by ``run.run``.

HTTP (``http``: GraphQL over HTTP in and out) → policy before the body (``policy.admit``: CSRF,
identity, rate limit) → document (``document``: persisted id, parse, validate, ``normalise``;
cached by hash) → policy on the operation (``policy.OperationPolicy``: method, introspection,
variables, cost, field authorization) → plan (``plan``: the caching planner around
``router.planner``) → execute (``execute``: introspection in the router, the plan against the
subgraphs) → shape (``shape``) → serialise (``serialise``). ``answer`` decides whether a request is
executed at all: a response-cache hit or an identical request in flight answers it instead.
Every refusal on the way is a ``router.errors.RouterError``, turned into a response by ``http``.
"""
