"""Public reads of the catalogue: search, filters, facet counts, statistics, headline figures.

Everything starts from innovations_published(), so nothing unpublished (and no pending change)
can leak into a list, a count, a facet, a feed, the API or a chart.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.contrib.postgres.search import SearchQuery, TrigramDistance, TrigramSimilarity
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractYear, Length
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from innovations.models import (
    SDG,
    SECTION_LIMITS,
    Award,
    Category,
    Form,
    Innovation,
    Kind,
    Replication,
    Stage,
    SustainabilityStatus,
)
from innovations.search import DOCUMENT_FIELDS, WORD, normalise, roots, stem, words
from innovations.selectors import (
    COUNTED_REPLICATION_STATUSES,
    Lineage,
    innovations_published,
    innovations_similar,
    with_replication_count,
)
from jipp.models import Institution, Region

from .models import SearchWord

# Longer queries are refused by the form; this also bounds what reaches the database.
SEARCH_MAX_LENGTH = 200
# More roots than this in one query are ignored: each one adds a condition to the match and the rank.
SEARCH_MAX_ROOTS = 12
# A root found in the title weighs more than one in the summary, the other sections, or the place.
SEARCH_WEIGHTS = {"search_title": 8, "search_summary": 4, "search_body": 2, "search_place": 1}
# Markers put around matching words; the template escapes the text, then turns them into <mark>.
HIGHLIGHT_START = "\x02"
HIGHLIGHT_STOP = "\x03"

AWARD_CHOICES: dict[str, Q] = {
    "any": Q(awards__isnull=False),
    "top99": Q(awards__competition=Award.Competition.KIPP, awards__rank=Award.Rank.TOP_99),
    "top45": Q(awards__competition=Award.Competition.KIPP, awards__rank=Award.Rank.TOP_45),
    "outstanding": Q(awards__competition=Award.Competition.KIPP, awards__rank=Award.Rank.OUTSTANDING),
}
SORTS = ("relevance", "newest", "replicated", "title")


def _uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def _replicated() -> Exists:
    return Exists(Replication.objects.filter(origin=OuterRef("pk"), status__in=COUNTED_REPLICATION_STATUSES))


def _region_condition(region: Region) -> Q:
    if region.level == Region.Level.PROVINCE:
        return Q(region=region) | Q(region__parent=region)
    return Q(region=region)


def _award_condition(award: str) -> Q:
    return Q(pk__in=Innovation.objects.filter(AWARD_CHOICES[award]).values("pk"))


def _replicated_condition(replicated: bool) -> Q:
    return Q(_replicated()) if replicated else ~Q(_replicated())


def _sdg_condition(sdg: int) -> Q:
    return Q(pk__in=Innovation.sdgs.through.objects.filter(sdg__number=sdg).values("innovation_id"))


def _category_condition(category: str) -> Q:
    return Q(pk__in=Innovation.categories.through.objects.filter(category__slug=category).values("innovation_id"))


def search_roots(text: str) -> list[str]:
    """The roots a search for `text` must all find (see innovations.search)."""
    return roots(text.strip()[:SEARCH_MAX_LENGTH])[:SEARCH_MAX_ROOTS]


def _root_in(root: str, field: str) -> Q:
    """`root` is one of the words of the document field `field` (one weight of the vector on PostgreSQL)."""
    if _uses_postgres():
        return Q(search_vector=SearchQuery(f"{root}:{DOCUMENT_FIELDS[field]}", config="simple", search_type="raw"))
    return Q(**{f"{field}__contains": f" {root} "})


def search_condition(text: str) -> Q:
    """Records holding every root of `text`, each anywhere: title, summary, sections, unit, institution or region.

    On PostgreSQL one match of the GIN-indexed search_vector; on SQLite LIKE on the stored roots.
    Text without any searchable word does not narrow the list (an empty condition).
    """
    found = search_roots(text or "")
    if not found:
        return Q()
    if _uses_postgres():
        return Q(search_vector=SearchQuery(" & ".join(found), config="simple", search_type="raw"))
    condition = Q()
    for root in found:
        anywhere = Q()
        for field in DOCUMENT_FIELDS:
            anywhere |= _root_in(root, field)
        condition &= anywhere
    return condition


# --- "Did you mean": the closest word of the published records to each word they do not hold ---

# Candidates read per unknown word; the edit distance decides among them.
SUGGESTION_CANDIDATES = 50


def _edit_distance(first: str, second: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of two neighbours counts one), or limit + 1 past limit."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, start=1):
        current = [i] + [0] * len(second)
        for j, b in enumerate(second, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b))
            if i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


def _candidates(word: str) -> list[tuple[str, int]]:
    """Words of the vocabulary that might be `word` mistyped: (word, count)."""
    vocabulary = SearchWord.objects.exclude(word=word)
    if _uses_postgres():
        # `%` (trigram_similar) uses the trigram index of the vocabulary.
        vocabulary = vocabulary.filter(word__trigram_similar=word).annotate(likeness=TrigramSimilarity("word", word))
        vocabulary = vocabulary.order_by("-likeness", "-count")
    else:
        # Same first letter and nearly the same length: the index on `word` serves the range.
        vocabulary = vocabulary.filter(word__gte=word[0], word__lt=chr(ord(word[0]) + 1))
        vocabulary = vocabulary.annotate(length=Length("word")).filter(length__range=(len(word) - 2, len(word) + 2))
        vocabulary = vocabulary.order_by("-count")
    return list(vocabulary.values_list("word", "count")[:SUGGESTION_CANDIDATES])


def _closest_word(word: str) -> str | None:
    limit = 1 if len(word) <= 4 else 2
    scored = [
        (distance, -count, candidate)
        for candidate, count in _candidates(word)
        if (distance := _edit_distance(word, candidate, limit)) <= limit
    ]
    return min(scored)[2] if scored else None


def search_suggestion(text: str) -> str | None:
    """`text` with each word that no published record holds (in any form) replaced by the closest
    word that some do, or None when every word is known or nothing close is.

    One query for the known roots, one more per unknown word (at most SEARCH_MAX_ROOTS).
    """
    text = text.strip()[:SEARCH_MAX_LENGTH]
    typed = [word for word in words(text) if len(word) >= 3 and not word.isdigit()][:SEARCH_MAX_ROOTS]
    if not typed:
        return None
    known = set(SearchWord.objects.filter(root__in={stem(word) for word in typed}).values_list("root", flat=True))
    corrections = {}
    for word in dict.fromkeys(typed):
        if stem(word) not in known and (closest := _closest_word(word)) is not None:
            corrections[word] = closest
    if not corrections:
        return None
    # Only the misspelt words change; the rest stays as it was typed.
    return _TEXT_WORD.sub(lambda match: corrections.get(normalise(match.group(0)), match.group(0)), text)


# Each filter as a condition on a record: a list applies them all, a facet all but its own.
FILTERS: dict[str, Callable[[Any], Q]] = {
    "q": search_condition,
    "region": _region_condition,
    "year": lambda year: Q(implementation_date__year=year),
    "stage": lambda value: Q(stage=value),
    "kind": lambda value: Q(kind=value),
    "form": lambda value: Q(form=value),
    "category": _category_condition,
    "sdg": _sdg_condition,
    "award": _award_condition,
    "replicated": _replicated_condition,
    "sustainability": lambda value: Q(sustainability_status=value),
}


def _in_use(values: dict[str, Any]) -> list[str]:
    return [name for name in FILTERS if values.get(name) not in (None, "")]


def apply_filters(
    queryset: QuerySet[Innovation], *, values: dict[str, Any], skip: str | None = None
) -> QuerySet[Innovation]:
    """Apply every filter with a value in `values` (cleaned form data), except `skip`."""
    for name in _in_use(values):
        if name != skip:
            queryset = queryset.filter(FILTERS[name](values[name]))
    return queryset


def with_search_rank(queryset: QuerySet[Innovation], *, text: str) -> QuerySet[Innovation]:
    """`rank`: for every root of the search, the weight of each part of the record that holds it.

    The same number on both databases, computed in the query (no per-row Python).
    """
    found = search_roots(text)
    if not found:
        return queryset
    parts = [
        Case(When(_root_in(root, field), then=Value(weight)), default=Value(0))
        for root in found
        for field, weight in SEARCH_WEIGHTS.items()
    ]
    return queryset.annotate(rank=reduce(operator.add, parts))


def sort_innovations(queryset: QuerySet[Innovation], *, sort: str, searching: bool) -> QuerySet[Innovation]:
    if sort == "title":
        return queryset.order_by("title", "pk")
    if sort == "replicated":
        return queryset.order_by("-replication_count", "-published_at", "pk")
    if (sort in ("", "relevance")) and searching:
        return queryset.order_by("-rank", F("published_at").desc(nulls_last=True), "-pk")
    return queryset.order_by(F("published_at").desc(nulls_last=True), "-pk")


_TEXT_WORD = re.compile(r"[^\W_]+")
EXCERPT_WORDS = 40


def _mark(text: str, found: set[str]) -> str:
    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        if any(stem(part) in found for part in WORD.findall(normalise(word))):
            return f"{HIGHLIGHT_START}{word}{HIGHLIGHT_STOP}"
        return word

    return _TEXT_WORD.sub(replace, text)


def _excerpt(text: str, found: set[str]) -> str:
    """About EXCERPT_WORDS words of `text`, starting a little before the first match if it is far in."""
    text_words = text.split()
    first = next(
        (
            index
            for index, word in enumerate(text_words)
            if any(stem(part) in found for part in WORD.findall(normalise(word)))
        ),
        0,
    )
    start = first - 8 if first > EXCERPT_WORDS - 10 else 0
    excerpt = " ".join(text_words[start : start + EXCERPT_WORDS])
    return f"{'… ' if start else ''}{excerpt}{' …' if start + EXCERPT_WORDS < len(text_words) else ''}"


def search_highlight(innovations: list[Innovation], *, text: str) -> None:
    """Mark the words of each shown record's title and summary excerpt whose root was searched for.

    Only for the records of one page: `title_highlight` and `summary_highlight`, with the markers.
    """
    found = set(search_roots(text))
    if not found:
        return
    for innovation in innovations:
        innovation.title_highlight = _mark(innovation.title, found)  # type: ignore[attr-defined]
        innovation.summary_highlight = _mark(_excerpt(innovation.summary, found), found)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Suggestion:
    query: str
    count: int  # records the corrected search finds with the same filters


def catalog_suggestion(*, values: dict[str, Any], found: int = 0) -> Suggestion | None:
    """The corrected search for the catalogue's clean `values`, if it finds more than the `found` of
    the search as typed (a word only the long sections hold is not in the vocabulary, yet right)."""
    corrected = search_suggestion(values.get("q") or "")
    if corrected is None:
        return None
    count = apply_filters(innovations_published(), values={**values, "q": corrected}).count()
    return Suggestion(corrected, count) if count > found else None


def catalog_counts_without(*, values: dict[str, Any]) -> dict[str, int]:
    """For each filter in use (the search too), how many records the list would show without it.

    One query however many filters are in use; for the page that found nothing.
    """
    base = innovations_published()
    in_use = _in_use(values)
    if not in_use:
        return {}
    counts = base.aggregate(
        **{
            name: Count("pk", filter=Q(pk__in=apply_filters(base, values=values, skip=name).values("pk")))
            for name in in_use
        }
    )
    return {name: counts[name] for name in in_use}


def catalog_refine(queryset: QuerySet[Innovation], *, values: dict[str, Any]) -> QuerySet[Innovation]:
    """Filter, annotate and sort a published queryset with clean filter values (see catalog.filters)."""
    text = values.get("q") or ""
    queryset = apply_filters(queryset, values=values)
    queryset = with_search_rank(with_replication_count(queryset), text=text)
    queryset = queryset.select_related("region", "region__parent", "institution").prefetch_related(
        "sdgs", "awards", "categories"
    )
    return sort_innovations(queryset, sort=values.get("sort") or "", searching=bool(search_roots(text)))


def catalog_innovations(*, values: dict[str, Any]) -> QuerySet[Innovation]:
    """The public list for the catalogue page, the API, the CSV and the feed."""
    return catalog_refine(innovations_published(), values=values)


# --- Facets: every filter's options with their counts, in one query ---


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Facets:
    options: dict[str, list[FacetOption]]
    total: int  # records the list shows with every filter applied


# The value a record gives each single-valued facet (categories, SDGs and awards are read from
# their own tables), and the SQL that turns it into the facet's text in the one query.
_FACET_VALUES: dict[str, Any] = {
    "region": F("region_id"),
    "year": ExtractYear("implementation_date"),
    "stage": F("stage"),
    "kind": F("kind"),
    "form": F("form"),
    "sustainability": F("sustainability_status"),
    "replicated": _replicated(),
}


def _facet_sql(values: dict[str, Any]) -> tuple[str, list[Any]]:
    """One statement for every facet and the list's total.

    The published records the search finds are read once (a common table expression) with, for each
    filter in use, whether the record passes it; each facet then counts its values among the records
    passing every filter but its own, and the total among those passing all. Ten grouped queries, each
    matching the search and every filter again, took 2.3 s at 100,000 records.
    """
    in_use = [name for name in _in_use(values) if name != "q"]
    passes = {f"passes_{name}": ExpressionWrapper(FILTERS[name](values[name]), BooleanField()) for name in in_use}
    awards = {f"award_{key}": ExpressionWrapper(_award_condition(key), BooleanField()) for key in AWARD_CHOICES}
    facet_values = {f"value_{name}": expression for name, expression in _FACET_VALUES.items()}
    rows = (
        innovations_published()
        .filter(search_condition(values.get("q") or ""))
        .order_by()
        .annotate(row_id=F("pk"), **facet_values, **passes, **awards)
        .values("row_id", *facet_values, *passes, *awards)
    )
    inner, params = rows.query.sql_with_params()
    quote = connection.ops.quote_name

    def count(facet: str, value: str, *, source: str = "m", condition: str = "", grouped: bool = True) -> str:
        """Records of `m` passing every filter in use but the facet's own, counted per `value`."""
        every = [condition] if condition else []
        every += [f"m.passes_{name}" for name in in_use if name != facet]
        where = f" WHERE {' AND '.join(every)}" if every else ""
        group = f" GROUP BY {value}" if grouped else ""
        # Only names and constants of this module: every value from the request is a parameter of `inner`.
        return f"SELECT '{facet}', {value}, COUNT(*) FROM {source}{where}{group}"  # noqa: S608

    def through(facet: str, field: str, target: str, value: str) -> str:
        """Counted per related row of a many-to-many field (a record counts once per SDG it has)."""
        table = Innovation._meta.get_field(field).remote_field.through._meta  # type: ignore[union-attr]
        related = table.get_field(target).related_model._meta  # type: ignore[union-attr]
        source = (
            f"m JOIN {quote(table.db_table)} t ON t.{quote('innovation_id')} = m.row_id"
            f" JOIN {quote(related.db_table)} r ON r.{quote('id')} = t.{quote(target + '_id')}"
        )
        return count(facet, f"CAST(r.{quote(value)} AS text)", source=source)

    parts = [count(name, f"CAST(m.value_{name} AS text)") for name in _FACET_VALUES if name != "replicated"]
    parts.append(count("replicated", "CASE WHEN m.value_replicated THEN 'yes' ELSE 'no' END"))
    parts += [through("category", "categories", "category", "slug"), through("sdg", "sdgs", "sdg", "number")]
    parts += [count("award", f"'{key}'", condition=f"m.award_{key}", grouped=False) for key in AWARD_CHOICES]
    parts.append(count("total", "''", grouped=False))
    return f"WITH m AS ({inner}) " + " UNION ALL ".join(parts), list(params)


FacetCounts = dict[str, dict[str, int]]  # facet -> value (as text) -> records; "total" -> {"": records}


def catalog_facet_counts(*, values: dict[str, Any]) -> FacetCounts:
    """The counts behind `catalog_facets`, in no language: one query (`_facet_sql`)."""
    sql, params = _facet_sql(values)
    counts: FacetCounts = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for facet, value, count in cursor.fetchall():
            if value is not None:
                counts.setdefault(facet, {})[value] = count
    return counts


def catalog_facets(*, values: dict[str, Any], counts: FacetCounts | None = None) -> Facets:
    """For every filter, its options with the number of published records each would give (with the
    other filters applied), and how many the list holds, labelled in the active language. `counts`
    (catalog_facet_counts of the same `values`) spares the query: each language labels the same."""
    if counts is None:
        counts = catalog_facet_counts(values=values)
    total = counts.get("total", {}).get("", 0)

    options: dict[str, list[FacetOption]] = {}
    regions = list(Region.objects.order_by("bps_code"))
    per_region = {int(value): count for value, count in counts.get("region", {}).items()}
    # A province counts its own records and all its regencies'.
    children: dict[int, int] = {}
    for region in regions:
        if region.parent_id is not None:
            children[region.parent_id] = children.get(region.parent_id, 0) + per_region.get(region.pk, 0)
    options["region"] = [
        FacetOption(
            region.bps_code,
            region.name,
            per_region.get(region.pk, 0) + (children.get(region.pk, 0) if region.level == Region.Level.PROVINCE else 0),
        )
        for region in regions
    ]
    years = sorted(((int(value), count) for value, count in counts.get("year", {}).items()), reverse=True)
    options["year"] = [FacetOption(str(year), str(year), count) for year, count in years]
    for name, choices in (
        ("stage", Stage.choices),
        ("kind", Kind.choices),
        ("form", Form.choices),
        ("sustainability", SustainabilityStatus.choices),
    ):
        found = counts.get(name, {})
        options[name] = [FacetOption(value, str(label), found.get(value, 0)) for value, label in choices]
    found = counts.get("category", {})
    options["category"] = [
        FacetOption(category.slug, str(category), found.get(category.slug, 0)) for category in Category.objects.all()
    ]
    found = counts.get("sdg", {})
    options["sdg"] = [
        FacetOption(str(sdg.number), str(sdg), found.get(str(sdg.number), 0)) for sdg in SDG.objects.all()
    ]
    found = counts.get("award", {})
    options["award"] = [FacetOption(key, key, found.get(key, 0)) for key in AWARD_CHOICES]
    found = counts.get("replicated", {})
    options["replicated"] = [
        FacetOption("yes", "yes", found.get("yes", 0)),
        FacetOption("no", "no", found.get("no", 0)),
    ]
    return Facets(options, total)


# --- Detail page ---


def catalog_detail_queryset() -> QuerySet[Innovation]:
    return with_replication_count(innovations_published()).select_related("region", "region__parent", "institution")


# --- Home page and statistics ---


@dataclass(frozen=True)
class HeadlineFigures:
    innovations: int
    regencies: int
    institutions: int
    replications: int


def catalog_headline_figures() -> HeadlineFigures:
    published = innovations_published()
    totals = published.aggregate(
        innovations=Count("pk"),
        regencies=Count("region", filter=Q(region__level=Region.Level.REGENCY), distinct=True),
        institutions=Count("institution", distinct=True),
    )
    return HeadlineFigures(replications=replications_counted().count(), **totals)


def catalog_newest(*, limit: int = 5) -> list[Innovation]:
    return list(
        innovations_published()
        .select_related("region", "institution")
        .order_by(F("published_at").desc(nulls_last=True), "-pk")[:limit]
    )


@dataclass(frozen=True)
class Bar:
    label: str
    value: int


@dataclass(frozen=True)
class Chart:
    key: str
    bars: list[Bar]
    # What one unit of the chart is, said under the chart so that its numbers can be checked against others.
    note: str = ""

    @property
    def maximum(self) -> int:
        return max((bar.value for bar in self.bars), default=0)


def region_label(region: Region) -> str:
    """A region's name in a count: the province's own records are those of provincial agencies."""
    if region.level == Region.Level.PROVINCE:
        return _("%(name)s (province level)") % {"name": region.name}
    return region.name


def _not_given(count: int) -> str:
    return ngettext(
        "%(count)s innovation without this information is not shown.",
        "%(count)s innovations without this information are not shown.",
        count,
    ) % {"count": count}


StatisticsCounts = dict[str, dict[Any, int]]


def statistics_counts() -> StatisticsCounts:
    """Published records per region (id), year of implementation, stage and SDG goal (number), each
    with the records without it under None or "": one query, the four grouped counts joined."""
    published = innovations_published().order_by()
    values = {
        "region": Cast("region_id", CharField()),
        "year": Cast(ExtractYear("implementation_date"), CharField()),
        "stage": F("stage"),
        "sdg": Cast("sdgs__number", CharField()),
    }
    grouped = [
        published.annotate(value=expression)
        .values("value")
        .annotate(chart=Value(name), n=Count("pk"))
        .values_list("chart", "value", "n")
        for name, expression in values.items()
    ]
    rows = grouped[0].union(*grouped[1:], all=True)
    counts: StatisticsCounts = {name: {} for name in values}
    for chart, value, count in rows:
        key = int(value) if value is not None and chart != "stage" else value
        counts[chart][key] = count
    return counts


def statistics_per_regency(counts: StatisticsCounts | None = None) -> Chart:
    """Every published record once, under its region; provincial agencies' records under the province."""
    per_region = (counts or statistics_counts())["region"]
    regions = Region.objects.order_by("bps_code")
    return Chart(
        "regency",
        [Bar(region_label(region), per_region.get(region.pk, 0)) for region in regions],
        _(
            "Every published innovation is counted once, under the region of its institution; "
            "the innovations of provincial agencies are counted at province level."
        ),
    )


def statistics_per_year(counts: StatisticsCounts | None = None) -> Chart:
    per_year = (counts or statistics_counts())["year"]
    bars = [Bar(str(year), per_year[year]) for year in sorted(year for year in per_year if year is not None)]
    note = _("Every published innovation is counted once, in the year it was first implemented.")
    missing = per_year.get(None, 0)
    return Chart("year", bars, f"{note} {_not_given(missing)}" if missing else note)


def statistics_per_stage(counts: StatisticsCounts | None = None) -> Chart:
    per_stage = (counts or statistics_counts())["stage"]
    note = _("Every published innovation is counted once, at its current stage.")
    missing = per_stage.get("", 0)
    return Chart(
        "stage",
        [Bar(str(label), per_stage.get(value, 0)) for value, label in Stage.choices],
        f"{note} {_not_given(missing)}" if missing else note,
    )


def statistics_per_sdg(counts: StatisticsCounts | None = None) -> Chart:
    per_sdg = (counts or statistics_counts())["sdg"]
    return Chart(
        "sdg",
        [Bar(str(sdg), per_sdg.get(sdg.number, 0)) for sdg in SDG.objects.all()],
        _("An innovation may serve several SDG goals, so the bars can add up to more than the number of innovations."),
    )


def statistics_awards_per_year(counts: StatisticsCounts | None = None) -> Chart:
    """Awards per year (read from the awards: `counts` is not needed)."""
    rows = (
        Award.objects.filter(innovation__in=innovations_published())
        .order_by()
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    )
    return Chart(
        "awards",
        [Bar(str(row["year"]), row["n"]) for row in rows],
        _("Every award of a published innovation is counted, in the year it was given."),
    )


def replications_counted() -> QuerySet[Replication]:
    """The replications every public figure counts (home, statistics, matrix): see REPLICATION_DEFINITION."""
    return Replication.objects.filter(origin__in=innovations_published(), status__in=COUNTED_REPLICATION_STATUSES)


REPLICATION_DEFINITION = gettext_lazy(
    "A replication is counted once the owner of the original innovation has approved it or it has been "
    "implemented; requests still in progress are not counted."
)


@dataclass(frozen=True)
class LineageCounts:
    """The replications a record's lineage shows, split by REPLICATION_DEFINITION."""

    direct: int  # counted replications of the record itself: its replication count everywhere else
    further: int  # counted replications of its replicas, further down the lineage
    in_progress: int  # replications shown that are not counted yet, at any depth

    @property
    def shown(self) -> int:
        return self.direct + self.further + self.in_progress


def lineage_counts(lineage: Lineage) -> LineageCounts:
    """Count the nodes of `lineage` (innovations.selectors.innovation_lineage), so the number agrees with the tree."""
    direct = further = in_progress = 0
    stack = [(node, 0) for node in lineage.descendants]
    while stack:
        node, depth = stack.pop()
        if node.status not in COUNTED_REPLICATION_STATUSES:
            in_progress += 1
        elif depth == 0:
            direct += 1
        else:
            further += 1
        stack.extend((child, depth + 1) for child in node.children)
    return LineageCounts(direct=direct, further=further, in_progress=in_progress)


@dataclass(frozen=True)
class ReplicationMatrix:
    columns: list[str]  # the replicating institution's region
    rows: list[tuple[str, list[int]]]  # origin region, counts per column

    @property
    def total(self) -> int:
        return sum(sum(counts) for _origin, counts in self.rows)


def statistics_replication_matrix() -> ReplicationMatrix:
    """Counted replications: the original record's region -> the replicating institution's region.

    The province's row and column hold provincial agencies; a national body (no region) gets a column
    of its own when it replicated something, so that the cells add up to every counted replication.
    """
    pairs = replications_counted().order_by().values("origin__region_id", "institution__region_id")
    counted = pairs.annotate(n=Count("pk"))
    cells = {(row["origin__region_id"], row["institution__region_id"]): row["n"] for row in counted}
    regions = list(Region.objects.order_by("bps_code"))
    targets: list[int | None] = [region.pk for region in regions]
    columns = [region_label(region) for region in regions]
    if any(target is None for _origin, target in cells):
        targets.append(None)
        columns.append(_("National bodies"))
    return ReplicationMatrix(
        columns=columns,
        rows=[(region_label(origin), [cells.get((origin.pk, target), 0) for target in targets]) for origin in regions],
    )


# --- Open data: regions and institutions ---


def regions_public() -> QuerySet[Region]:
    return Region.objects.select_related("parent").order_by("bps_code")


def institutions_public() -> QuerySet[Institution]:
    """Institutions with their number of published records."""
    published = innovations_published().filter(institution=OuterRef("pk")).order_by().values("institution")
    counted = published.annotate(n=Count("pk")).values("n")
    return (
        Institution.objects.select_related("region")
        .annotate(innovation_count=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)))
        .order_by("region__bps_code", "name", "pk")
    )


# --- Detail page: the public sections and the schema.org description ---

PUBLIC_SECTIONS = tuple(SECTION_LIMITS)


def innovation_json_ld(
    *, innovation: Innovation, url: str, awards: list[Award], origin_url: str | None = None
) -> dict[str, Any]:
    """schema.org description of a published record (serialised safely by the template tag).

    `origin_url` is the address of the published record this one replicates, if any.
    """
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "name": innovation.title,
        "description": innovation.summary,
        "url": url,
        "inLanguage": "id",
        "dateModified": innovation.updated_at.isoformat(),
        "creator": {"@type": "GovernmentOrganization", "name": innovation.institution.name},
        "spatialCoverage": {"@type": "AdministrativeArea", "name": innovation.region.name},
    }
    if innovation.published_at:
        data["datePublished"] = innovation.published_at.isoformat()
    if innovation.implementation_date:
        # When the innovation came into use, which is what "created" means to a reader of the record.
        data["dateCreated"] = innovation.implementation_date.isoformat()
    if awards:
        data["award"] = [
            f"{award.get_rank_display()}, {award.get_competition_display()} {award.year}" for award in awards
        ]
    if origin_url:
        data["isBasedOn"] = origin_url
    return data


# --- Detail page: similar records ---

SIMILAR_SHOWN = 5
# Below this trigram similarity of the titles a record is not offered as similar.
SIMILAR_MINIMUM = 0.3


def catalog_similar(*, innovation: Innovation) -> list[Innovation]:
    """Up to five other published records with the most similar titles.

    On PostgreSQL the nearest titles come from the trigram GiST index of the public set (`<->`
    ordered by the index, stopped after five), so the cost does not grow with the number of
    records; the staff's duplicate check (innovations_similar, title and summary) compares every
    row, which is right for a form and wrong for a page crawlers open a hundred thousand times.
    """
    if not _uses_postgres():
        return innovations_similar(title=innovation.title, summary=innovation.summary, exclude_pk=innovation.pk)
    nearest = list(
        innovations_published()
        .exclude(pk=innovation.pk)
        .select_related("institution", "region")
        .annotate(distance=TrigramDistance("title", innovation.title))
        .order_by("distance")[:SIMILAR_SHOWN]
    )
    return [record for record in nearest if 1 - record.distance >= SIMILAR_MINIMUM]  # type: ignore[attr-defined]
