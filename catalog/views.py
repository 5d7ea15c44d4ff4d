"""The public catalogue: list, detail (HTML and PDF), statistics, robots.txt. HTTP only."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from innovations.selectors import innovation_lineage
from jipp.downloads import csv_download
from jipp.pdf import html_to_pdf

from . import selectors
from .feeds import feed_path
from .figures import CHARTS, facets_kept, statistics_kept
from .filters import AWARD_LABELS, REPLICATED_LABELS, CatalogFilterSet
from .freshness import CachedCountPaginator, cached, catalog_version, public_page, values_key

PAGE_SIZE = 12
FACET_ORDER = ["region", "year", "stage", "kind", "form", "category", "sdg", "award", "replicated", "sustainability"]
# The catalogue's GET names and the API's, for the "download this list" links.
API_NAMES = {"q": "search", "sort": "ordering"}


def _facet_controls(filterset: CatalogFilterSet, facets: dict[str, list[selectors.FacetOption]]) -> list[dict]:
    """Each filter as a select: its label, options "name (count)", the selected value and any error."""
    fixed_labels = {"award": dict(AWARD_LABELS), "replicated": dict(REPLICATED_LABELS)}
    cleaned = filterset.form.cleaned_data if hasattr(filterset.form, "cleaned_data") else {}
    controls = []
    for name in FACET_ORDER:
        field = filterset.form[name]
        value = cleaned.get(name)
        if name == "region" and value is not None:
            selected = value.bps_code
        elif name == "replicated" and value is not None:
            selected = "yes" if value else "no"
        else:
            selected = str(value) if value not in (None, "") else filterset.data.get(name, "")
        labels = fixed_labels.get(name, {})
        controls.append(
            {
                "name": name,
                "id": field.auto_id,
                "label": field.label,
                "errors": field.errors,
                "selected": selected,
                "options": [
                    {
                        "value": option.value,
                        "label": labels.get(option.value, option.label),
                        "count": option.count,
                        "selected": option.value == selected,
                    }
                    for option in facets[name]
                ],
            }
        )
    return controls


def _download_query(request: HttpRequest, fmt: str) -> str:
    params = [(API_NAMES.get(key, key), value) for key, value in request.GET.items() if key != "page" and value]
    return urlencode([*params, ("format", fmt)])


def _list_url(request: HttpRequest, **changes: str | None) -> str:
    """The catalogue with the current parameters, some changed (None removes one); always page 1."""
    params = {key: value for key, value in request.GET.items() if key != "page" and value}
    if params.get("sort") == "relevance":
        del params["sort"]  # the default: a shorter link to the same list
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    query = urlencode(params)
    return f"{request.path}?{query}" if query else request.path


def _active_filters(request: HttpRequest, controls: list[dict], values: dict[str, Any]) -> list[dict]:
    """The search and each filter in use: its label, the chosen value in words, the list without it."""
    active = []
    if values.get("q"):
        active.append({"name": "q", "label": _("Search"), "value": values["q"], "url": _list_url(request, q=None)})
    for control in controls:
        if control["errors"] or not control["selected"]:
            continue
        chosen = next((option["label"] for option in control["options"] if option["selected"]), control["selected"])
        active.append(
            {
                "name": control["name"],
                "label": control["label"],
                "value": chosen,
                "url": _list_url(request, **{control["name"]: None}),
            }
        )
    return active


@require_GET
@vary_on_headers("HX-Request")  # the partial and the full page share a URL: caches must tell them apart
@public_page
def innovation_list(request: HttpRequest) -> HttpResponse:
    filterset = CatalogFilterSet(request.GET, queryset=selectors.innovations_published())
    if filterset.is_valid():
        results = filterset.qs
        values = filterset.values()
    else:
        # A wrong parameter is named in the form; no guess at what was meant.
        results = selectors.innovations_published().none()
        values = filterset.form.cleaned_data
    # Facet counts and the list's count only change with a publication: kept for the catalogue's version.
    version = catalog_version(request)
    key = f"{translation.get_language()}|{values_key(values)}"
    facets = facets_kept(values=values, version=version)
    # The facets' query counted the list too; a form with errors lists nothing.
    paginator = CachedCountPaginator(results, PAGE_SIZE, known_count=facets.total if filterset.is_valid() else 0)
    paginator.version = version
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    selectors.search_highlight(page.object_list, text=values.get("q") or "")
    query_without_page = urlencode([(key, value) for key, value in request.GET.items() if key != "page"])
    suggestion = (
        cached(
            f"suggestion|{key}",
            lambda: selectors.catalog_suggestion(values=values, found=page.paginator.count) or False,
            version=version,
        )
        or None
        if values.get("q")
        else None
    )
    controls = _facet_controls(filterset, facets.options)
    active_filters = _active_filters(request, controls, values)
    if not page.paginator.count and filterset.is_valid():
        # Nothing found: say what each filter (and the search) costs, so one can be dropped knowingly.
        without = selectors.catalog_counts_without(values=values)
        for item in active_filters:
            item["count_without"] = without.get(item["name"], 0)
    context: dict[str, Any] = {
        "filterset": filterset,
        "form": filterset.form,
        "controls": controls,
        "active_filters": active_filters,
        "removals": [item for item in active_filters if item.get("count_without")],
        "filter_count": sum(1 for item in active_filters if item["name"] != "q"),
        "page_obj": page,
        "query_without_page": query_without_page,
        "searching": bool(values.get("q")),
        "suggestion": suggestion,
        "suggestion_url": _list_url(request, q=suggestion.query) if suggestion else "",
        "csv_url": f"{reverse('api:innovation-list')}?{_download_query(request, 'csv')}",
        "json_url": f"{reverse('api:innovation-list')}?{_download_query(request, 'json')}",
        "xlsx_url": f"{reverse('api:innovation-list')}?{_download_query(request, 'xlsx')}",
        "feed_url": feed_path(values.get("region")),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "catalog/list_partial.html", context)
    return render(request, "catalog/list.html", context)


def _detail_context(request: HttpRequest, slug: str) -> dict[str, Any]:
    innovation = get_object_or_404(selectors.catalog_detail_queryset(), slug=slug)
    evidence = list(innovation.evidence.all())
    lineage = innovation_lineage(innovation=innovation)
    return {
        "innovation": innovation,
        "sdgs": list(innovation.sdgs.all()),
        "categories": list(innovation.categories.all()),
        "awards": list(innovation.awards.all()),
        "photos": [item for item in evidence if item.kind == item.Kind.PHOTO],
        "documents": [item for item in evidence if item.kind == item.Kind.DOCUMENT],
        "sustainability_updates": list(innovation.sustainability_updates.all()),
        "lineage": lineage,
        "replications": selectors.lineage_counts(lineage),
        "replication_definition": selectors.REPLICATION_DEFINITION,
        "similar": selectors.catalog_similar(innovation=innovation),
        # The summary stands under the title; these follow the profile.
        "sections": [
            (innovation._meta.get_field(name).verbose_name, getattr(innovation, name))
            for name in selectors.PUBLIC_SECTIONS
            if name != "summary" and getattr(innovation, name)
        ],
    }


@require_GET
@public_page
def innovation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    context = _detail_context(request, slug)
    ancestors = context["lineage"].ancestors
    context["json_ld"] = selectors.innovation_json_ld(
        innovation=context["innovation"],
        url=request.build_absolute_uri(context["innovation"].get_absolute_url()),
        awards=context["awards"],
        origin_url=request.build_absolute_uri(ancestors[-1].get_absolute_url()) if ancestors else None,
    )
    return render(request, "catalog/detail.html", context)


@require_GET
def innovation_detail_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    context = _detail_context(request, slug)
    context["page_url"] = request.build_absolute_uri(context["innovation"].get_absolute_url())
    context["generated_on"] = timezone.localdate()
    html = render_to_string("catalog/detail_pdf.html", context, request=request)
    pdf = html_to_pdf(html, base_url=context["page_url"])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{context["innovation"].slug}.pdf"'
    return response


@require_GET
@public_page
def statistics(request: HttpRequest) -> HttpResponse:
    # Every figure changes only with a publication: computed once per version and language.
    figures = statistics_kept(version=catalog_version(request))
    return render(
        request,
        "catalog/statistics.html",
        {**figures, "replication_definition": selectors.REPLICATION_DEFINITION},
    )


@require_GET
def statistics_csv(request: HttpRequest, chart: str) -> HttpResponse:
    response, writer = csv_download(request, f"statistik-{slugify(chart)}.csv")
    if chart == "replications":
        matrix = selectors.statistics_replication_matrix()
        writer.writerow([_("Origin region"), *matrix.columns])
        for origin, counts in matrix.rows:
            writer.writerow([origin, *counts])
    elif chart in CHARTS:
        build = CHARTS[chart][1]
        writer.writerow([_("Label"), _("Innovations") if chart != "awards" else _("Awards")])
        for bar in build().bars:
            writer.writerow([bar.label, bar.value])
    else:
        raise Http404(_("There is no chart of that name."))
    return response


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /kelola/",
        "Disallow: /en/kelola/",
        "Disallow: /admin/",
        "Disallow: /dasbor/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
