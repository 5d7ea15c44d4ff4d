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


def evidence_panel_context(*, user: User, innovation: Innovation, form: EvidenceForm | None = None) -> dict[str, Any]:
    may_edit = can(user, "innovations.change_innovation", innovation)
    return {
        "innovation": innovation,
        "evidence_list": innovation.evidence.order_by("kind", "created_at"),
        "original_evidence": innovation.revision_of.evidence.order_by("kind", "created_at")
        if innovation.revision_of is not None
        else [],
        "can_edit": may_edit,
        "form": (form or EvidenceForm()) if may_edit else None,
    }


@register.inclusion_tag("innovations/panels/evidence.html", takes_context=True)
def evidence_panel(context: template.Context, innovation: Innovation) -> dict[str, Any]:
    return {
        **evidence_panel_context(user=context["request"].user, innovation=innovation),
        "csrf_token": context.get("csrf_token"),
    }
