"""The one reading of search text that the storefront page, the API and the indexes share."""

import pytest

from tradewind.catalog.adapters.search.fts5 import match_expression
from tradewind.catalog.search import MAX_QUERY_TERMS, normalise_query, query_terms


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("kettle)", ("kettle",)),
        ('"', ()),
        ("*", ()),
        ("(", ()),
        ('"Blue  Kettle"*', ("blue", "kettle")),
        ("tea-pot: NEAR/2 x", ("tea", "pot", "near", "2", "x")),
        ("Rote Tasse", ("rote", "tasse")),
        ("", ()),
    ],
)
def test_query_terms_treat_punctuation_as_separators(text, terms):
    """Quotes, stars and brackets are never query syntax: they only separate words."""
    assert query_terms(text) == terms
    assert normalise_query(text) == " ".join(terms)


def test_query_terms_keep_at_most_eight_words():
    assert len(query_terms(" ".join(f"w{i}" for i in range(20)))) == MAX_QUERY_TERMS


def test_fts5_reads_the_text_through_query_terms():
    """The FTS5 adapter's expression is built from the same words (no raw text reaches it)."""
    assert match_expression("kettle)") == match_expression("kettle") == '"kettle"*'
    assert match_expression('"') is None and match_expression("*") is None
