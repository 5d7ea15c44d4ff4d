from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from innovations.selectors import innovations_published


def innovation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    innovation = get_object_or_404(innovations_published().select_related("institution", "region"), slug=slug)
    return render(request, "catalog/detail.html", {"innovation": innovation})
