"""Language-neutral URLs (outside i18n_patterns): the API, its schema and docs, sitemap.xml, robots.txt."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from . import api, views
from .sitemaps import SITEMAPS

router = DefaultRouter()
router.register("innovations", api.InnovationViewSet, basename="innovation")
router.register("regions", api.RegionViewSet, basename="region")
router.register("institutions", api.InstitutionViewSet, basename="institution")

api_patterns = (
    [
        path("v1/", include(router.urls)),
        path("schema/", SpectacularAPIView.as_view(), name="schema"),
        path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
        path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    ],
    "api",
)

urlpatterns = [
    path("api/", include(api_patterns)),
    path("sitemap.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
