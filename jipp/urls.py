from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from catalog.freshness import public_page

from . import views
from .views.audit import audit_log

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    # The open-data API, its schema and docs, sitemap.xml and robots.txt are language-neutral.
    path("api/v1/competitions/", include("competitions.api")),
    path("", include("catalog.urls_neutral")),
]

# Indonesian lives at the root, English under /en/.
urlpatterns += i18n_patterns(
    # The home page shows the catalogue's figures and newest records: kept like the catalogue's pages.
    path("", public_page(views.home), name="home"),
    path("masuk/", views.SignInView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/sandi/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("akun/sandi/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("akun/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("akun/reset/terkirim/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "akun/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("akun/reset/selesai/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("audit/", audit_log, name="audit_log"),
    path("kelola/", include("innovations.urls")),
    path("kipp/", include("competitions.urls")),
    path("hub/", include("jipp.urls_hub")),
    path("", include("catalog.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

handler403 = "jipp.views.permission_denied"
handler404 = "jipp.views.page_not_found"
handler500 = "jipp.views.server_error"
