"""Public pages in both languages (inside i18n_patterns: Indonesian at /, English under /en/)."""

from django.urls import path

from . import views
from .feeds import NewInnovationsFeed
from .freshness import public_page

app_name = "catalog"

urlpatterns = [
    path("inovasi/", views.innovation_list, name="list"),
    path("inovasi/feed/", public_page(NewInnovationsFeed()), name="feed"),
    path("inovasi/<slug:slug>/", views.innovation_detail, name="detail"),
    path("inovasi/<slug:slug>/pdf/", views.innovation_detail_pdf, name="detail_pdf"),
    path("statistik/", views.statistics, name="statistics"),
    path("statistik/<slug:chart>.csv", views.statistics_csv, name="statistics_csv"),
]
