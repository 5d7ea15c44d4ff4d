"""URLs of KIPP, under /kipp/ in both languages: the staff side under kelola/."""

from .views import assignments, decisions, editions, entries, objections, results, reviews, selection

app_name = "competitions"

urlpatterns = [
    *editions.urlpatterns,
    *entries.urlpatterns,
    *selection.urlpatterns,
    *assignments.urlpatterns,
    *reviews.urlpatterns,
    *decisions.urlpatterns,
    *objections.urlpatterns,
    *results.urlpatterns,
]
