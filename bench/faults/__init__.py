"""The fault campaign (python -m bench.faults; make faults)."""
