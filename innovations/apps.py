from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationsConfig(AppConfig):
    name = "innovations"
    verbose_name = _("Innovations")

    def ready(self) -> None:
        from jipp.navigation import NavItem, register
        from jipp.sections import PageSection
        from jipp.sections import register as register_section
        from jipp.services.notices import register_digest_source

        from .notices import published_between
        from .views.workflow import dashboard_context

        register(NavItem(_("My innovations"), "innovations:list", "innovations.add_innovation", order=20))
        register(NavItem(_("All records"), "innovations:list", "innovations.view_queue", order=20))
        register(NavItem(_("Verification"), "innovations:queue", "innovations.view_queue", order=21))
        register(NavItem(_("Import"), "innovations:import_list", "innovations.import_innovations", order=22))
        register(NavItem(_("Replications"), "innovations:replication_list", "innovations.view_replications", order=23))
        register_section(PageSection("dashboard", "innovations/dashboard_panel.html", dashboard_context, order=10))
        register_digest_source(published_between)
