"""URLs of KIPP, under /kipp/ in both languages: the staff side under kelola/."""

from .views import editions

app_name = "competitions"

urlpatterns = [*editions.urlpatterns]
