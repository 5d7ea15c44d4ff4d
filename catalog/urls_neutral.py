"""Language-neutral URLs (outside i18n_patterns): the API, its schema and docs, sitemap.xml, robots.txt."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from jipp.sitemaps import SITEMAPS

from . import api, views
from .freshness import public_page
from .sitemaps import sitemap_root

# Swagger UI and Redoc write inline styles (React style attributes, styled-components), use data: images
# and Redoc runs its search in a blob: worker; scripts stay limited to this site.
API_DOCS_CSP = csp_update(
    {"style-src": [SELF, UNSAFE_INLINE], "img-src": [SELF, "data:"], "worker-src": [SELF, "blob:"]}
)


class ApiRouter(DefaultRouter):
    # No format suffixes (".json", ".api"): the format is the `format` parameter, and a suffix such
    # as ".api" would answer a missing record with the browsable API's HTML instead of JSON.
    include_format_suffixes = False


router = ApiRouter()
router.register("innovations", api.InnovationViewSet, basename="innovation")
router.register("regions", api.RegionViewSet, basename="region")
router.register("institutions", api.InstitutionViewSet, basename="institution")

api_patterns = (
    [
        path("v1/", include(router.urls)),
        path("schema/", SpectacularAPIView.as_view(), name="schema"),
        # The split view serves Swagger UI's start-up script as a file (?script), so no inline script.
        path("docs/", API_DOCS_CSP(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
        path("redoc/", API_DOCS_CSP(SpectacularRedocView.as_view(url_name="api:schema")), name="redoc"),
        # Last: with a trailing slash, so that CommonMiddleware still adds a missing one first.
        re_path(r"^(?P<path>.*)/$", api.not_found, name="not_found"),
    ],
    "api",
)

urlpatterns = [
    path("api/", include(api_patterns)),
    # One file, or an index of sections of at most 50,000 addresses each (the protocol's limit).
    path("sitemap.xml", public_page(sitemap_root), {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        public_page(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
