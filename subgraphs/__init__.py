"""The five KCP subgraphs; each package is one domain and never imports another."""
