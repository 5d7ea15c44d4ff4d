"""The words of the hub's role matrices (hub pages, notices, inbox): the roles in their order, the
outcomes, URL builders over a dict of the objects, and the one assertion of an outcome."""

from django.urls import reverse
from django.utils import translation

ROLES = ["anonymous", "operator", "other_operator", "hub_admin", "reviewer", "panelist", "ministry_admin"]
LOGIN = "login"  # sent to the sign-in page
DONE = "done"  # the action succeeded and redirected


def url(name, **kwargs):
    """A builder of the `jipp:<name>` URL whose parameters are read from the objects by `kwargs`' functions."""
    return lambda objects: reverse(f"jipp:{name}", kwargs={key: value(objects) for key, value in kwargs.items()})


def named(name, **kwargs) -> str:
    """The English address of `jipp:<name>`."""
    with translation.override("en"):
        return reverse(f"jipp:{name}", kwargs=kwargs)


def assert_outcome(response, outcome) -> None:
    if outcome == LOGIN:
        assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("login"))
    elif outcome == DONE:
        assert (response.status_code, response["Location"].startswith(reverse("login"))) == (302, False)
    else:
        assert response.status_code == outcome
