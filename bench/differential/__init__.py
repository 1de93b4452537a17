"""Our router against Apollo Gateway on KCP's own graph: random operations, compared answers.

``operations`` draws valid operations from the API schema with a seeded RNG, ``compare`` decides
whether two answers agree once what may legitimately differ is normalised (and which of our own
deliberate divergences explains a difference, by rule), ``apollo`` runs Apollo Gateway over the
same running subgraphs, ``run`` sends each operation to both as each demo role. ``python -m
bench.differential`` is the long run; tests/e2e/test_differential_apollo.py the short one.
"""
