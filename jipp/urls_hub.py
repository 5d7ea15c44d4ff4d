"""URLs of the hub (namespace "jipp"), under /hub/ (Indonesian) and /en/hub/."""

from django.urls import path

from .views import activities, hub, inbox, maturity, notices

app_name = "jipp"

urlpatterns = [
    # Notices and the inbox: their fixed prefixes come before "<slug:slug>/" (jipp/views/notices.py, inbox.py)
    *inbox.urlpatterns,
    *notices.urlpatterns,
    path("", hub.hub_list, name="hub_list"),
    path("kelola/", hub.hub_manage_index, name="hub_manage_index"),
    path("<slug:slug>/", hub.hub_profile, name="hub_profile"),
    # Activities, public
    path("<slug:slug>/kalender.ics", activities.activity_feed, name="activity_feed"),
    path("<slug:slug>/kegiatan/<int:pk>/", activities.activity_detail, name="activity_detail"),
    path("<slug:slug>/kegiatan/<int:pk>/kalender.ics", activities.activity_ics, name="activity_ics"),
    path(
        "<slug:slug>/kegiatan/<int:pk>/lampiran/<int:attachment>/",
        activities.activity_attachment,
        name="activity_attachment",
    ),
    # Memberships and contacts, for the hub's administrators
    path("<slug:slug>/kelola/anggota/", hub.membership_list, name="membership_list"),
    path("<slug:slug>/kelola/anggota/tambah/", hub.membership_add_view, name="membership_add"),
    path("<slug:slug>/kelola/anggota/<int:pk>/", hub.membership_detail, name="membership_detail"),
    path("<slug:slug>/kelola/anggota/<int:pk>/akhiri/", hub.membership_end_view, name="membership_end"),
    path("<slug:slug>/kelola/anggota/<int:pk>/kontak/", hub.contact_add_view, name="contact_add"),
    path("<slug:slug>/kelola/kontak/<int:pk>/", hub.contact_edit_view, name="contact_edit"),
    # Activities, for the hub's administrators
    path("<slug:slug>/kelola/kegiatan/", activities.activity_manage_list, name="activity_manage_list"),
    path("<slug:slug>/kelola/kegiatan/baru/", activities.activity_create_view, name="activity_create"),
    path("<slug:slug>/kelola/kegiatan/<int:pk>/ubah/", activities.activity_edit_view, name="activity_edit"),
    path("<slug:slug>/kelola/kegiatan/<int:pk>/batal/", activities.activity_cancel_view, name="activity_cancel"),
    path("<slug:slug>/kelola/kegiatan/<int:pk>/laporan/", activities.activity_report_view, name="activity_report"),
    path(
        "<slug:slug>/kelola/kegiatan/<int:pk>/lampiran/",
        activities.activity_attachment_add_view,
        name="activity_attachment_add",
    ),
    path(
        "<slug:slug>/kelola/kegiatan/<int:pk>/lampiran/<int:attachment>/hapus/",
        activities.activity_attachment_delete_view,
        name="activity_attachment_delete",
    ),
    # Maturity self-assessment: hub administrators answer; members and the ministry read
    path("<slug:slug>/kematangan/", maturity.maturity_overview, name="maturity_overview"),
    path("<slug:slug>/kematangan/<int:year>/", maturity.maturity_assessment, name="maturity_assessment"),
    path("<slug:slug>/kematangan/<int:year>/kirim/", maturity.maturity_submit, name="maturity_submit"),
    path("<slug:slug>/kematangan/<int:year>/buka/", maturity.maturity_reopen, name="maturity_reopen"),
    path(
        "<slug:slug>/kematangan/<int:year>/bukti/<int:answer>/",
        maturity.maturity_evidence,
        name="maturity_evidence",
    ),
]
