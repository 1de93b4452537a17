"""What every KCP process refuses before it works for a request: the edge checks, shared.

The router and every subgraph (``kcp.service``) call the same code, so a request the router would
refuse is refused the same way, with the same ``extensions.code``, by a subgraph reached directly:

- ``body``: the HTTP body of a GraphQL request: size, content type, strict JSON (no NaN, no lone
  surrogates, valid UTF-8), an object, parameters of the right types;
- ``document``: the document's size in tokens, its shape (``shape``: depth, aliases, root fields,
  directives, fragments followed) and its expanded field count;
- ``cost``: an estimate of the work an operation asks for, lists multiplied by their sizes;
- ``signature``: the router's signature over the requests it sends to subgraphs;
- ``refusal``: the one exception every check raises, with its status and GraphQL errors.
"""
