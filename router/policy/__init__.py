"""The router's policy stage: who is calling (identity), what they may send (limits, cost) and
how often (rate limit), decided before any plan is made or subgraph called."""
