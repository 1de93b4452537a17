"""The differential comparison's rules (bench/differential/compare.py), each shown explaining
what it should and nothing more."""

from __future__ import annotations

from bench.differential.compare import compare, emptied_selections, excluded_selections, self_observed_selections

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


SEARCH_AND_READ_ANALYTICS = (
    'query Q($after: String) { search(query: "anc", product: "prd-liberty-4-nc", after: $after) { totalCount } '
    'p: productBySlug(slug: "liberty-4-nc") { name stats: analytics { searches lastEventAt } } }'
)


def _observed(query: str, variables: dict[str, object], ours: dict[str, object], theirs: dict[str, object]) -> str:
    return compare(ours, theirs, self_observed=self_observed_selections(query, variables)).outcome


def _answer(name: str, searches: int, count: int = 3) -> dict[str, object]:
    return {"data": {"search": {"totalCount": count}, "p": {"name": name, "stats": {"searches": searches}}}}


def test_a_search_reading_its_own_analytics_is_explained_when_only_the_analytics_differ() -> None:
    assert self_observed_selections(SEARCH_AND_READ_ANALYTICS, {}) == (("p", "stats"),)
    assert (
        _observed(SEARCH_AND_READ_ANALYTICS, {}, _answer("Liberty 4 NC", 7), _answer("Liberty 4 NC", 8)) == "explained"
    )


def test_a_self_observing_operation_must_still_agree_outside_its_analytics() -> None:
    ours, theirs = _answer("Liberty 4 NC", 7), _answer("Liberty 4", 8)
    assert _observed(SEARCH_AND_READ_ANALYTICS, {}, ours, theirs) == "different"
    ours, theirs = _answer("Liberty 4 NC", 7, count=3), _answer("Liberty 4 NC", 8, count=4)
    assert _observed(SEARCH_AND_READ_ANALYTICS, {}, ours, theirs) == "different"


def test_a_page_turn_records_nothing_so_its_analytics_must_agree() -> None:
    assert self_observed_selections(SEARCH_AND_READ_ANALYTICS, {"after": "YXJyYXk6OQ=="}) == ()
    ours, theirs = _answer("Liberty 4 NC", 7), _answer("Liberty 4 NC", 8)
    assert _observed(SEARCH_AND_READ_ANALYTICS, {"after": "YXJyYXk6OQ=="}, ours, theirs) == "different"


def test_analytics_read_without_a_search_are_not_set_aside() -> None:
    query = '{ p: productBySlug(slug: "liberty-4-nc") { analytics { searches } } metrics(from: "a", to: "b") { x } }'
    assert self_observed_selections(query, {}) == ()
    skipped = '{ search(query: "anc") @skip(if: true) { totalCount } metrics(from: "a", to: "b") { x } }'
    assert self_observed_selections(skipped, {}) == ()
    asked = '{ ask(question: "why") { text } metrics(from: "a", to: "b") { x } }'
    assert self_observed_selections(asked, {}) == (("metrics",),)
