from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JippConfig(AppConfig):
    name = "jipp"
    verbose_name = _("Hub network")

    def ready(self) -> None:
        from . import audit
        from .navigation import NavItem, register
        from .sections import PageSection
        from .sections import register as register_section
        from .views.hub import dashboard_context

        register(NavItem(_("Home"), "home", order=0))
        register(NavItem(_("Hub"), "jipp:hub_list", order=40))
        register(NavItem(_("Manage the hub"), "jipp:hub_manage_index", permission="jipp.manage_any_hub", order=85))
        register(NavItem(_("Notices"), "jipp:notice_index", permission="jipp.manage_any_hub", order=86))
        register(NavItem(_("Inbox"), "jipp:inbox", permission="jipp.view_inbox", order=88))
        register(NavItem(_("Dashboard"), "dashboard", permission="jipp.view_dashboard", order=90))
        register(NavItem(_("Audit log"), "audit_log", permission="jipp.view_audit", order=95))
        audit.connect()
        register_section(PageSection("dashboard", "jipp/hub/dashboard_panel.html", dashboard_context, order=40))
