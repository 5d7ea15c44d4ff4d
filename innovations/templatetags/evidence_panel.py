"""The evidence panel: a record's documents and photos, and the upload form for those who may edit it.

Shown on the record page and on its edit page, and returned alone to an htmx upload or removal.
"""

from __future__ import annotations

from typing import Any

from django import template

from jipp.models import User
from jipp.permissions import can

from ..forms.evidence import EvidenceForm
from ..models import Innovation

register = template.Library()


def evidence_panel_context(
    *, user: User, innovation: Innovation, form: EvidenceForm | None = None, back: str = "detail"
) -> dict[str, Any]:
    may_edit = can(user, "innovations.change_innovation", innovation)
    if form is not None:
        back = "edit" if form["back"].value() == "edit" else "detail"
    return {
        "innovation": innovation,
        "evidence_list": innovation.evidence.order_by("kind", "created_at"),
        "original_evidence": innovation.revision_of.evidence.order_by("kind", "created_at")
        if innovation.revision_of is not None
        else [],
        "can_edit": may_edit,
        "form": (form or EvidenceForm(initial={"back": back})) if may_edit else None,
        "back": back,
    }


@register.inclusion_tag("innovations/panels/evidence.html", takes_context=True)
def evidence_panel(context: template.Context, innovation: Innovation, back: str = "detail") -> dict[str, Any]:
    """`back`: "edit" on the record's edit page, so that uploads and removals return there."""
    return {
        **evidence_panel_context(user=context["request"].user, innovation=innovation, back=back),
        "csrf_token": context.get("csrf_token"),
    }
