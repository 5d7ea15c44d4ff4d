from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetitionsConfig(AppConfig):
    name = "competitions"
    verbose_name = _("KIPP competitions")

    def ready(self) -> None:
        from jipp.audit import register_trail
        from jipp.navigation import NavItem
        from jipp.navigation import register as register_nav
        from jipp.sections import PageSection
        from jipp.sections import register as register_section
        from jipp.sitemaps import register as register_sitemap

        from .sitemaps import ResultsSitemap
        from .views.dashboard import dashboard_context
        from .views.results import home_context
        from .views.reviews import dashboard_context as scoring_dashboard_context

        register_nav(NavItem(_("KIPP editions"), "competitions:edition_list", "competitions.manage_editions", order=40))
        register_nav(NavItem(_("KIPP entries"), "competitions:entry_list", "competitions.view_entries", order=41))
        register_section(PageSection("dashboard", "competitions/dashboard_panel.html", dashboard_context, order=30))
        register_nav(NavItem(_("My reviews"), "competitions:review_list", "competitions.score_entries", order=42))
        register_section(
            PageSection("dashboard", "competitions/reviews/dashboard_panel.html", scoring_dashboard_context, order=31)
        )
        register_nav(NavItem(_("KIPP results"), "competitions:results_index", order=25))
        register_section(PageSection("home", "competitions/home_kipp.html", home_context, order=30))
        register_sitemap("kipp", ResultsSitemap)
        # The KIPP decisions and scores keep their own audit trail (services/audit.py), linked from the
        # portal's audit log instead of copied into it.
        register_trail(
            _("KIPP decisions and scores: each edition's history"),
            "competitions:edition_list",
            "competitions.manage_editions",
        )
