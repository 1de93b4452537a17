"""The GraphiQL page served on ``GET /graphql`` to browsers (assets from a CDN).

It opens on a query that spans the five subgraphs, so a newcomer sees federation at work with
one click on Run.
"""

import json

DEFAULT_QUERY = """# One product, with data from all five subgraphs in one response.
query Product($slug: String! = "liberty-4-nc") {
  productBySlug(slug: $slug) {
    name
    category { name }
    features { name }
    knownIssues { title severity solutions { title steps } }
    compatibleWith { name }
    content { kind title }
    openTicketCount
    analytics { pageViews ticketsCreated }
  }
}
"""

GRAPHIQL_HTML = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Soundcore KCP · GraphiQL</title>
    <style>
      body { margin: 0; height: 100vh; }
      #graphiql { height: 100vh; }
    </style>
    <link rel="stylesheet" href="https://unpkg.com/graphiql@3/graphiql.min.css" />
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script crossorigin src="https://unpkg.com/react@18/umd/react.production.min.js"></script>
    <script crossorigin src="https://unpkg.com/react-dom@18/umd/react-dom.production.min.js"></script>
    <script crossorigin src="https://unpkg.com/graphiql@3/graphiql.min.js"></script>
    <script>
      const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
      ReactDOM.createRoot(document.getElementById("graphiql")).render(
        React.createElement(GraphiQL, { fetcher, defaultEditorToolbarOpen: true, defaultQuery: __DEFAULT_QUERY__ })
      );
    </script>
  </body>
</html>
""".replace("__DEFAULT_QUERY__", json.dumps(DEFAULT_QUERY).replace("</", "<\\/"))
