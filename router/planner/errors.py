"""Why an operation has no plan: it cannot be planned against the supergraph, or not within its budget."""

from __future__ import annotations

import time
from dataclasses import dataclass


class PlanningError(Exception):
    """The operation cannot be planned against this supergraph; the message names the field."""


class PlanningTimeoutError(PlanningError):
    """Planning took longer than its budget: the document is refused, not left to run."""

    def __init__(self, budget_ms: float) -> None:
        super().__init__(f"planning took longer than {budget_ms:g} ms")
        self.budget_ms = budget_ms


@dataclass(frozen=True, slots=True)
class Deadline:
    """When planning must have ended; every phase checks it as it goes (per field, per step)."""

    at: float  # on time.perf_counter()'s clock
    budget_ms: float

    @classmethod
    def after(cls, budget_ms: float) -> Deadline:
        return cls(time.perf_counter() + budget_ms / 1000, budget_ms)

    def check(self) -> None:
        if time.perf_counter() > self.at:
            raise PlanningTimeoutError(self.budget_ms)


def not_normalised() -> PlanningError:
    # The planner reads normalised operations only: fragments are inlined once by the document stage.
    return PlanningError("the operation has fragment spreads: normalise it first (router.pipeline.normalise)")
