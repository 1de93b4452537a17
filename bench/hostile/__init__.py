"""Hostile input against every KCP process: a catalogue of families, schema-driven fuzzing, a runner.

``catalogue`` builds the hostile requests, ``fuzz`` draws operations from a process's own schema
with a seeded RNG, ``run`` fires them at one process and measures what it answered and its memory.
``python -m bench.hostile`` (``make hostile``) runs it against the whole platform.
"""
