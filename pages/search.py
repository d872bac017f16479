"""The site's search (issue 17): PostgreSQL full-text search over what the public can
read, ranked, with highlighted snippets.

Each kind of content is a source that its owner registers at ``ready()``
(``search_source_register``): pages registers its published pages and the policy in
force; another part of the pages app (the product categories) adds its own rows the
same way. A source names a queryset of what is public now, the field searched as the
title (weight A) and as the body (weight B), and how to link to a row.

A title match comes first, whatever the body says: results are ordered by whether the
title matched, then by rank. Snippets are marked by PostgreSQL with control characters
that staff text cannot hold, then escaped, and only then turned into <mark>, so no
text from a page reaches the results as markup.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import models
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CONFIG = "english"
RESULTS_SHOWN = 20
HIGHLIGHT_START, HIGHLIGHT_STOP = "\x02", "\x03"
# Markdown's link syntax and emphasis, which a snippet of the source text would show.
MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
MARKDOWN_MARKS = re.compile(r"(?m)^\s*(?:#{1,6}|[-*+]|\d+\.)\s+|\*\*|__|[*_`]")


@dataclass(frozen=True)
class SearchSource:
    kind: str
    rows: Callable[[], models.QuerySet]
    title: str
    body: str
    url: Callable[[models.Model], str]
    title_shown: Callable[[models.Model], str]


@dataclass(frozen=True)
class SearchResult:
    kind: str
    title: str
    url: str
    snippet: SafeString
    title_matched: bool
    rank: float


_sources: dict[str, SearchSource] = {}


def search_source_register(
    kind: str,
    *,
    rows: Callable[[], models.QuerySet],
    title: str,
    body: str,
    url: Callable[[models.Model], str],
    title_shown: Callable[[models.Model], str] | None = None,
) -> None:
    """Make ``rows()`` (what the public may read now) searchable: ``title`` and ``body``
    are field names; ``kind`` is shown beside each result ("Page", "Privacy policy")."""
    _sources[kind] = SearchSource(
        kind=kind, rows=rows, title=title, body=body, url=url,
        title_shown=title_shown or (lambda row: getattr(row, title)))


def snippet_html(headline: str) -> SafeString:
    text = MARKDOWN_MARKS.sub("", MARKDOWN_LINK.sub(r"\1", headline))
    marked = escape(" ".join(text.split()))
    return mark_safe(  # noqa: S308 -- escaped above; only our own markers become tags.
        marked.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>"))


def site_search(words: str) -> list[SearchResult]:
    """The best RESULTS_SHOWN matches for words typed as in a web search engine
    ("quoted phrases", -excluded, or), one query per source."""
    query = SearchQuery(words, search_type="websearch", config=CONFIG)
    results: list[SearchResult] = []
    for source in _sources.values():
        vector = (SearchVector(source.title, weight="A", config=CONFIG)
                  + SearchVector(source.body, weight="B", config=CONFIG))
        rows = (
            source.rows()
            .annotate(search_document=vector)
            .filter(search_document=query)
            .annotate(
                search_rank=SearchRank(vector, query),
                search_title_rank=SearchRank(
                    SearchVector(source.title, config=CONFIG), query),
                search_headline=SearchHeadline(
                    source.body, query, config=CONFIG, start_sel=HIGHLIGHT_START,
                    stop_sel=HIGHLIGHT_STOP, min_words=15, max_words=35,
                    max_fragments=2, fragment_delimiter=" … "),
            )
            .order_by("-search_title_rank", "-search_rank")[:RESULTS_SHOWN]
        )
        results += [
            SearchResult(kind=source.kind, title=source.title_shown(row), url=source.url(row),
                         snippet=snippet_html(row.search_headline),
                         title_matched=row.search_title_rank > 0, rank=row.search_rank)
            for row in rows
        ]
    results.sort(key=lambda result: (result.title_matched, result.rank), reverse=True)
    return results[:RESULTS_SHOWN]
