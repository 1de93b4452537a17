"""The differential comparison's rules (bench/differential/compare.py), each shown explaining
what it should and nothing more."""

from __future__ import annotations

from bench.differential.compare import compare, emptied_selections, excluded_selections

SKIPPED_INSIDE_CONDITIONAL_SPREAD = (
    'query Q($c: Boolean!) { generationJob(id: "gen-0011") { product { ...F @skip(if: $c) } } } '
    "fragment F on Product { slug articles @skip(if: true) { versions { number } } }"
)


def _verdict(query: str, variables: dict[str, object], ours: dict[str, object], theirs: dict[str, object]) -> str:
    verdict = compare(
        ours,
        theirs,
        emptied=emptied_selections(query, variables),
        excluded=excluded_selections(query, variables),
    )
    return verdict.outcome


def test_an_apollo_error_under_a_field_the_directives_excluded_is_explained() -> None:
    ours = {"data": {"generationJob": {"product": {"slug": "soundcore-x"}}}}
    theirs = {
        "data": {"generationJob": {"product": None}},
        "errors": [
            {"message": "no", "path": ["generationJob", "product", "articles", 0], "extensions": {"code": "FORBIDDEN"}}
        ],
    }
    assert _verdict(SKIPPED_INSIDE_CONDITIONAL_SPREAD, {"c": False}, ours, theirs) == "explained"


def test_a_field_excluded_once_but_included_by_another_selection_is_not_excluded() -> None:
    query = "{ a { b @skip(if: true) { c } b { c } } }"
    assert excluded_selections(query, {}) == ()
    theirs = {"data": {"a": {"b": None}}, "errors": [{"message": "x", "path": ["a", "b", "c"]}]}
    assert _verdict(query, {}, {"data": {"a": {"b": {"c": 1}}}}, theirs) == "different"


def test_an_apollo_error_elsewhere_stays_a_difference() -> None:
    ours = {"data": {"generationJob": {"product": {"slug": "soundcore-x"}}}}
    theirs = {
        "data": {"generationJob": {"product": None}},
        "errors": [
            {"message": "no", "path": ["generationJob", "product", "slug"], "extensions": {"code": "FORBIDDEN"}}
        ],
    }
    assert _verdict(SKIPPED_INSIDE_CONDITIONAL_SPREAD, {"c": False}, ours, theirs) == "different"
