from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Public catalogue and open data")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from innovations.signals import records_changed, records_published
        from jipp.navigation import NavItem
        from jipp.navigation import register as register_nav
        from jipp.sections import PageSection
        from jipp.sections import register as register_section
        from jipp.sitemaps import register as register_sitemap

        from . import home, hub, signals
        from .sitemaps import InnovationSitemap, PageSitemap

        register_nav(NavItem(_("Innovations"), "catalog:list", order=10))
        register_nav(NavItem(_("Statistics"), "catalog:statistics", order=20))
        register_nav(NavItem(_("API"), "api:docs", order=30))
        register_sitemap("pages", PageSitemap)
        register_sitemap("innovations", InnovationSitemap)
        register_section(PageSection("home", "catalog/home_intro.html", home.intro_context, order=5))
        register_section(PageSection("home", "catalog/home_figures.html", home.figures_context, order=10))
        register_section(PageSection("home", "catalog/home_newest.html", home.newest_context, order=20))
        register_section(
            PageSection("hub_profile", "catalog/hub_profile_innovations.html", hub.hub_profile_context, order=10)
        )
        post_save.connect(signals.institution_saved, sender="jipp.Institution", dispatch_uid="catalog.search")
        post_save.connect(signals.innovation_saved, sender="innovations.Innovation", dispatch_uid="catalog.vocabulary")
        records_published.connect(signals.records_published, dispatch_uid="catalog.vocabulary_bulk")
        # The public side's version (catalog.freshness): ETags, Last-Modified and the keys of its caches.
        for signal in (post_save, post_delete):
            signal.connect(signals.public_record_changed, sender="innovations.Innovation", dispatch_uid="catalog.v")
            for model in (
                "innovations.Award",
                "innovations.Evidence",
                "innovations.Replication",
                "innovations.SustainabilityUpdate",
                "innovations.Category",
                "innovations.SDG",
                "jipp.Institution",
                "jipp.Region",
            ):
                signal.connect(signals.public_data_changed, sender=model, dispatch_uid=f"catalog.v.{model}")
        for through in ("innovations.Innovation_sdgs", "innovations.Innovation_categories"):
            m2m_changed.connect(signals.public_data_changed, sender=through, dispatch_uid=f"catalog.v.{through}")
        records_published.connect(signals.records_published_changed, dispatch_uid="catalog.version_bulk")
        records_changed.connect(signals.records_published_changed, dispatch_uid="catalog.version_changed")
