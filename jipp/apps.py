from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JippConfig(AppConfig):
    name = "jipp"
    verbose_name = _("Hub network")

    def ready(self) -> None:
        from .navigation import NavItem, register

        register(NavItem(_("Home"), "home", order=0))
        register(NavItem(_("Hub"), "jipp:hub_list", order=40))
        register(NavItem(_("Manage the hub"), "jipp:hub_manage_index", permission="jipp.manage_any_hub", order=85))
        register(NavItem(_("Notices"), "jipp:notice_index", permission="jipp.manage_any_hub", order=86))
        register(NavItem(_("Inbox"), "jipp:inbox", permission="jipp.view_inbox", order=88))
        register(NavItem(_("Dashboard"), "dashboard", permission="jipp.view_dashboard", order=90))
