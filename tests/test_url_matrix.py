"""Every URL pattern x every role, on objects of institution A and of institution B.

URLS maps each URL name of the URL configuration to its path parameters (a builder per variant: "A"
addresses an object of the first operator's institution, "B" one of the second's, "" a pattern with
nothing of an institution's in its path) and the status each role gets, in ROLES order:

    anonymous, operator of A, operator of B, hub administrator, reviewer, panelist, ministry administrator

302 for anonymous is the sign-in page. Objects outside a user's scope answer 404 (views start from a
scoped selector), a role that may never do a thing 403. Actions (GET 405) are also POSTed by every role:
a refused POST must change no row (`fingerprint`), and an allowed one is rolled back so that the next
role meets the same data. A URL pattern missing from URLS fails test_every_url_pattern_is_in_the_matrix.

The demo (`seed_demo`, plus the files and objects of tests/scene.py's `add_objects`) is built once
for the module; each test runs in a savepoint of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from tests.scene import ROLES, client_of, demo_scene, fingerprint

ADMIN = "admin:*"

Builder = Callable[[SimpleNamespace, str], dict[str, Any]]


@dataclass(frozen=True)
class Url:
    """`get` (and `post` for actions): variant -> the statuses of ROLES, space-separated."""

    kwargs: Builder
    get: dict[str, str]
    post: dict[str, str] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)  # what each POST sends


def none(objects: SimpleNamespace, variant: str) -> dict[str, Any]:
    return {}


def arg(name: str, attribute: str, field_name: str = "pk") -> Builder:
    """kwargs {name: objects.<attribute>[variant].<field_name>}."""

    def build(objects: SimpleNamespace, variant: str) -> dict[str, Any]:
        return {name: getattr(getattr(objects, attribute)[variant], field_name)}

    return build


def hub_and(name: str, attribute: str, field_name: str = "pk") -> Builder:
    inner = arg(name, attribute, field_name)
    return lambda objects, variant: {"slug": objects.hub.slug, **inner(objects, variant)}


def hub(objects: SimpleNamespace, variant: str) -> dict[str, Any]:
    return {"slug": objects.hub.slug}


def fixed(**kwargs: Any) -> Builder:
    return lambda objects, variant: kwargs


def year(objects: SimpleNamespace, variant: str) -> dict[str, Any]:
    return {"year": objects.open_edition.year}


def stage(objects: SimpleNamespace, variant: str) -> dict[str, Any]:
    return {"year": objects.open_edition.year, "kind": "desk_evaluation"}


def decision_stage(objects: SimpleNamespace, variant: str) -> dict[str, Any]:
    return {"year": objects.open_edition.year, "kind": "finalist_decision"}


# Frequent lines: a public page; an address nobody may open; an action's GET (sign-in first, then 405).
PUBLIC = "200 200 200 200 200 200 200"
NOT_FOUND = "404 404 404 404 404 404 404"
ACTION = "302 405 405 405 405 405 405"
URLS: dict[str, Url] = {
    ADMIN: Url(none, {"": "302 302 302 302 302 302 302"}),
    "healthz": Url(none, {"": PUBLIC}),
    "set_language": Url(none, {"": "405 405 405 405 405 405 405"}, {"": "302 302 302 302 302 302 302"}),
    "competitions_api:editions": Url(none, {"": PUBLIC}),
    "competitions_api:results": Url(
        lambda o, v: {"year": o.edition[v].year},
        {"closed": PUBLIC, "open": NOT_FOUND},
    ),
    "api:innovation-list": Url(none, {"": PUBLIC}),
    "api:innovation-detail": Url(
        arg("slug", "record", "slug"),
        {
            "A": NOT_FOUND,
            "B": NOT_FOUND,
            "published": PUBLIC,
        },
    ),
    "api:region-list": Url(none, {"": PUBLIC}),
    "api:region-detail": Url(fixed(bps_code="7601"), {"": PUBLIC}),
    "api:institution-list": Url(none, {"": PUBLIC}),
    "api:institution-detail": Url(arg("code", "institutions", "code"), {"A": PUBLIC, "B": PUBLIC}),
    "api:api-root": Url(none, {"": PUBLIC}),
    "api:schema": Url(none, {"": PUBLIC}),
    "api:docs": Url(none, {"": PUBLIC}),
    "api:redoc": Url(none, {"": PUBLIC}),
    "api:not_found": Url(fixed(path="tidak-ada"), {"": NOT_FOUND}),
    "sitemap": Url(none, {"": PUBLIC}),
    "sitemap_section": Url(lambda o, v: {"section": o.sitemap_section}, {"": PUBLIC}),
    "robots_txt": Url(none, {"": PUBLIC}),
    "home": Url(none, {"": PUBLIC}),
    "login": Url(none, {"": "200 302 302 302 302 302 302"}),
    "logout": Url(none, {"": "405 405 405 405 405 405 405"}, {"": "302 302 302 302 302 302 302"}),
    "password_change": Url(none, {"": "302 200 200 200 200 200 200"}),
    "password_change_done": Url(none, {"": "302 200 200 200 200 200 200"}),
    "password_reset": Url(none, {"": PUBLIC}),
    "password_reset_done": Url(none, {"": PUBLIC}),
    "password_reset_confirm": Url(fixed(uidb64="MA", token="bukan-token"), {"": PUBLIC}),
    "password_reset_complete": Url(none, {"": PUBLIC}),
    "dashboard": Url(none, {"": "302 200 200 200 200 200 200"}),
    "audit_log": Url(none, {"": "302 403 403 200 403 403 200"}),
    # innovations: the staff side
    "innovations:replication_list": Url(none, {"": "302 200 200 200 403 403 403"}),
    "innovations:replication_create": Url(
        arg("slug", "published", "slug"),
        {"A": "302 403 302 403 403 403 403", "B": "302 200 403 403 403 403 403"},
        {"A": "302 403 200 403 403 403 403", "B": "302 200 403 403 403 403 403"},
    ),
    "innovations:replication_detail": Url(
        arg("pk", "replication"), {"A": "302 200 404 200 403 403 403", "B": "302 404 200 200 403 403 403"}
    ),
    "innovations:replication_agreement": Url(
        arg("pk", "replication"),
        {"A": ACTION, "B": ACTION},
        {"A": "302 400 404 400 403 403 403", "B": "302 404 400 400 403 403 403"},
    ),
    "innovations:replication_approve": Url(
        arg("pk", "replication"),
        {"A": ACTION, "B": ACTION},
        {"A": "302 403 404 302 403 403 403", "B": "302 404 403 302 403 403 403"},
    ),
    "innovations:replication_reject": Url(
        arg("pk", "replication"),
        {"A": ACTION, "B": ACTION},
        {"A": "302 403 404 302 403 403 403", "B": "302 404 403 302 403 403 403"},
        data={"reason": "Tidak sesuai kebutuhan."},
    ),
    "innovations:replication_implement": Url(
        arg("pk", "replication"),
        {"A": ACTION, "B": ACTION},
        {"A": "302 302 404 302 403 403 403", "B": "302 404 302 302 403 403 403"},
    ),
    "innovations:replication_document": Url(
        arg("pk", "replication"), {"A": "302 200 404 200 403 403 403", "B": "302 404 200 200 403 403 403"}
    ),
    "innovations:sustainability": Url(
        arg("slug", "published", "slug"),
        {"A": "302 200 404 200 403 403 403", "B": "302 404 200 200 403 403 403"},
        {"A": "302 400 404 400 403 403 403", "B": "302 404 400 400 403 403 403"},
    ),
    "innovations:import_list": Url(none, {"": "302 403 403 200 403 403 403"}),
    "innovations:import_template": Url(none, {"": "302 403 403 200 403 403 403"}),
    "innovations:import_detail": Url(arg("pk", "batch"), {"": "302 403 403 200 403 403 403"}),
    "innovations:import_annotated": Url(arg("pk", "batch"), {"": "302 403 403 200 403 403 403"}),
    "innovations:list": Url(none, {"": "302 200 200 200 403 403 403"}),
    "innovations:create": Url(none, {"": "302 200 200 403 403 403 403"}, {"": "302 422 422 403 403 403 403"}),
    "innovations:queue": Url(none, {"": "302 403 403 200 403 403 403"}),
    "innovations:similar": Url(none, {"": "302 200 200 200 403 403 403"}),
    "innovations:detail": Url(
        arg("slug", "draft", "slug"), {"A": "302 200 404 200 404 404 404", "B": "302 404 200 200 404 404 404"}
    ),
    "innovations:edit": Url(
        arg("slug", "draft", "slug"),
        {"A": "302 200 404 403 404 404 404", "B": "302 404 200 403 404 404 404"},
        {"A": "302 200 404 403 404 404 404", "B": "302 404 200 403 404 404 404"},
    ),
    "innovations:submit": Url(
        arg("slug", "draft", "slug"),
        {"A": ACTION, "B": ACTION},
        {"A": "302 302 404 403 404 404 404", "B": "302 404 302 403 404 404 404"},
    ),
    "innovations:revise": Url(
        arg("slug", "published", "slug"),
        {"A": ACTION, "B": ACTION},
        {"A": "302 302 404 403 404 404 404", "B": "302 404 302 403 404 404 404"},
    ),
    "innovations:return": Url(
        arg("slug", "submitted", "slug"),
        {"A": "302 403 404 200 404 404 404", "B": "302 404 403 200 404 404 404"},
        {"A": "302 403 404 200 404 404 404", "B": "302 404 403 200 404 404 404"},
    ),
    "innovations:publish": Url(
        arg("slug", "submitted", "slug"),
        {"A": ACTION, "B": ACTION},
        {"A": "302 403 404 302 404 404 404", "B": "302 404 403 302 404 404 404"},
    ),
    "innovations:archive": Url(
        arg("slug", "published", "slug"),
        {"A": ACTION, "B": ACTION},
        {"A": "302 403 404 302 404 404 404", "B": "302 404 403 302 404 404 404"},
    ),
    "innovations:restore": Url(
        arg("slug", "archived", "slug"),
        {"A": ACTION, "B": ACTION},
        {"A": "302 403 404 302 404 404 404", "B": "302 404 403 302 404 404 404"},
    ),
    "innovations:changes": Url(
        arg("slug", "submitted", "slug"), {"A": "302 403 404 200 404 404 404", "B": "302 404 403 200 404 404 404"}
    ),
    "innovations:history": Url(
        arg("slug", "draft", "slug"), {"A": "302 403 404 200 404 404 404", "B": "302 404 403 200 404 404 404"}
    ),
    "innovations:evidence_add": Url(
        arg("slug", "draft", "slug"),
        {"A": "302 200 404 403 404 404 404", "B": "302 404 200 403 404 404 404"},
        {"A": "302 422 404 403 404 404 404", "B": "302 404 422 403 404 404 404"},
    ),
    "innovations:evidence_delete": Url(
        arg("pk", "document"),
        {"A": ACTION, "B": ACTION},
        {"A": "302 302 404 403 404 404 404", "B": "302 404 302 403 404 404 404"},
    ),
    "innovations:evidence_file": Url(
        arg("pk", "document"), {"A": "404 200 404 200 404 404 404", "B": "404 404 200 200 404 404 404"}
    ),
    "innovations:evidence_preview": Url(
        arg("pk", "photo"), {"A": "404 200 404 200 404 404 404", "B": "404 404 200 200 404 404 404"}
    ),
    # competitions: KIPP
    "competitions:edition_list": Url(none, {"": "302 403 403 403 403 403 200"}),
    "competitions:edition_create": Url(none, {"": "302 403 403 403 403 403 200"}, {"": "302 403 403 403 403 403 422"}),
    "competitions:edition_detail": Url(year, {"": "302 403 403 403 403 403 200"}),
    "competitions:edition_edit": Url(year, {"": "302 403 403 403 403 403 200"}, {"": "302 403 403 403 403 403 200"}),
    "competitions:edition_stages": Url(year, {"": "302 403 403 403 403 403 200"}),
    "competitions:edition_announce": Url(year, {"": ACTION}, {"": "302 403 403 403 403 403 302"}),
    "competitions:edition_audit": Url(year, {"": "302 403 403 403 403 403 200"}),
    "competitions:stage_rubric": Url(stage, {"": "302 403 403 403 403 403 200"}, {"": "302 403 403 403 403 403 422"}),
    "competitions:stage_rubric_default": Url(stage, {"": ACTION}, {"": "302 403 403 403 403 403 302"}),
    "competitions:entry_list": Url(none, {"": "302 200 200 200 403 403 200"}),
    "competitions:entry_detail": Url(
        arg("pk", "entry"), {"A": "302 200 404 200 404 404 200", "B": "302 404 200 200 404 404 200"}
    ),
    "competitions:entry_withdraw": Url(
        arg("pk", "entry"),
        {"A": ACTION, "B": ACTION},
        {"A": "302 302 404 302 404 404 403", "B": "302 404 302 302 404 404 403"},
    ),
    "competitions:entry_evidence_file": Url(
        lambda o, v: {"pk": o.entry[v].pk, "evidence_pk": o.entry_evidence[v].pk},
        {"A": "302 200 404 200 404 404 200", "B": "302 404 200 200 404 404 200"},
    ),
    "competitions:entry_create": Url(year, {"": "302 200 200 200 403 403 403"}, {"": "302 200 200 200 403 403 403"}),
    "competitions:selection": Url(year, {"": "302 403 403 403 403 403 200"}),
    "competitions:entry_select": Url(
        arg("pk", "entry"),
        {"A": "302 403 404 403 404 404 200", "B": "302 404 403 403 404 404 200"},
        {"A": "302 403 404 403 404 404 200", "B": "302 404 403 403 404 404 200"},
    ),
    "competitions:assignments": Url(stage, {"": "302 403 403 403 403 403 200"}),
    "competitions:assignments_auto": Url(stage, {"": ACTION}, {"": "302 403 403 403 403 403 422"}),
    "competitions:assignments_import": Url(stage, {"": ACTION}, {"": "302 403 403 403 403 403 422"}),
    "competitions:entry_assignments": Url(
        lambda o, v: {**stage(o, v), "pk": o.entry[v].pk},
        {"A": "302 403 403 403 403 403 200", "B": "302 403 403 403 403 403 200"},
        {"A": "302 403 403 403 403 403 422", "B": "302 403 403 403 403 403 422"},
    ),
    "competitions:assignment_release": Url(
        arg("pk", "assignment"),
        {"A": ACTION, "B": ACTION},
        {"A": "302 403 403 403 403 403 302", "B": "302 403 403 403 403 403 302"},
    ),
    "competitions:assignment_reassign": Url(
        arg("pk", "assignment"),
        {"A": ACTION, "B": ACTION},
        {"A": "302 403 403 403 403 403 302", "B": "302 403 403 403 403 403 302"},
    ),
    "competitions:conflicts": Url(year, {"": "302 403 403 403 403 403 200"}),
    "competitions:stage_scores": Url(stage, {"": "302 403 403 403 403 403 200"}),
    "competitions:review_list": Url(none, {"": "302 403 403 403 200 200 403"}),
    "competitions:review": Url(
        arg("pk", "assignment"),
        {"A": "302 403 403 403 200 404 403", "B": "302 403 403 403 404 404 403"},
        {"A": "302 403 403 403 422 404 403", "B": "302 403 403 403 404 404 403"},
    ),
    "competitions:review_evidence": Url(
        lambda o, v: {"pk": o.assignment[v].pk, "evidence_pk": o.entry_evidence[v].pk},
        {"A": "302 403 403 403 200 404 403", "B": "302 403 403 403 404 404 403"},
    ),
    "competitions:review_conflict": Url(
        arg("pk", "assignment"),
        {"A": ACTION, "B": ACTION},
        {"A": "302 403 403 403 302 404 403", "B": "302 403 403 403 404 404 403"},
    ),
    "competitions:decision_overview": Url(year, {"": "302 403 403 403 403 403 200"}),
    "competitions:decision_stage": Url(decision_stage, {"": "302 403 403 403 403 403 200"}),
    "competitions:results_publish": Url(decision_stage, {"": ACTION}, {"": "302 403 403 403 403 403 302"}),
    "competitions:export": Url(
        lambda o, v: {**year(o, v), "what": "nilai", "fmt": "csv"}, {"": "302 403 403 403 403 403 200"}
    ),
    "competitions:objection_create": Url(
        lambda o, v: {"year": o.edition["closed"].year, "number": 1}, {"": PUBLIC}, {"": PUBLIC}
    ),
    "competitions:objection_list": Url(year, {"": "302 403 403 403 403 403 200"}),
    "competitions:objection_answer": Url(
        arg("pk", "objection"), {"": "302 403 403 403 403 403 200"}, {"": "302 403 403 403 403 403 200"}
    ),
    "competitions:results_index": Url(none, {"": PUBLIC}),
    "competitions:results": Url(
        lambda o, v: {"year": o.edition[v].year},
        {"closed": PUBLIC, "open": NOT_FOUND},
    ),
    "competitions:certificate_verify": Url(none, {"": PUBLIC}),
    "competitions:certificate_check": Url(arg("code", "certificate", "code"), {"": PUBLIC}),
    "competitions:certificate_download": Url(
        lambda o, v: {"pk": o.certificate[""].entry_id, "outcome": o.certificate[""].outcome},
        {"": "302 404 404 200 404 404 200"},
    ),
    # jipp: the hub
    "jipp:inbox": Url(none, {"": "302 200 200 200 200 200 200"}),
    "jipp:inbox_detail": Url(
        arg("pk", "inbox"),
        {"A": "302 200 404 404 404 404 404", "B": "302 404 200 404 404 404 404"},
        {"A": "302 200 404 404 404 404 404", "B": "302 404 200 404 404 404 404"},
    ),
    "jipp:inbox_acknowledge": Url(
        arg("pk", "inbox"),
        {"A": ACTION, "B": ACTION},
        {"A": "302 302 404 404 404 404 404", "B": "302 404 302 404 404 404 404"},
    ),
    "jipp:inbox_attachment": Url(
        lambda o, v: {"pk": o.inbox[v].pk, "attachment": o.notice_attachment.pk},
        {"A": "302 200 404 404 404 404 404", "B": "302 404 200 404 404 404 404"},
    ),
    "jipp:acknowledge_link": Url(lambda o, v: {"token": o.ack_token[v]}, {"A": PUBLIC, "B": PUBLIC}),
    "jipp:attachment_link": Url(
        lambda o, v: {"token": o.attachment_token[v]},
        {"A": PUBLIC, "B": PUBLIC},
    ),
    "jipp:notice_index": Url(none, {"": "302 403 403 302 403 403 403"}),
    "jipp:notice_list": Url(hub, {"": "302 403 403 200 403 403 403"}),
    "jipp:notice_create": Url(hub, {"": "302 403 403 200 403 403 403"}, {"": "302 403 403 400 403 403 403"}),
    "jipp:notice_settings": Url(hub, {"": "302 403 403 200 403 403 403"}, {"": "302 403 403 400 403 403 403"}),
    "jipp:notice_detail": Url(
        hub_and("pk", "notice"), {"sent": "302 403 403 200 403 403 403", "draft": "302 403 403 200 403 403 403"}
    ),
    "jipp:notice_edit": Url(
        hub_and("pk", "notice"), {"draft": "302 403 403 200 403 403 403"}, {"draft": "302 403 403 400 403 403 403"}
    ),
    "jipp:notice_send": Url(hub_and("pk", "notice"), {"draft": ACTION}, {"draft": "302 403 403 302 403 403 403"}),
    "jipp:notice_unschedule": Url(hub_and("pk", "notice"), {"draft": ACTION}, {"draft": "302 403 403 302 403 403 403"}),
    "jipp:notice_progress": Url(hub_and("pk", "notice"), {"sent": "302 403 403 200 403 403 403"}),
    "jipp:notice_retry": Url(hub_and("pk", "notice"), {"sent": ACTION}, {"sent": "302 403 403 302 403 403 403"}),
    "jipp:notice_export": Url(hub_and("pk", "notice"), {"sent": "302 403 403 200 403 403 403"}),
    "jipp:notice_attachment": Url(
        lambda o, v: {**hub(o, v), "pk": o.notice["sent"].pk, "attachment": o.notice_attachment.pk},
        {"": "302 403 403 200 403 403 403"},
    ),
    "jipp:notice_attachment_delete": Url(
        lambda o, v: {**hub(o, v), "pk": o.notice["sent"].pk, "attachment": o.notice_attachment.pk},
        {"": ACTION},
        {"": "302 403 403 302 403 403 403"},
    ),
    "jipp:hub_list": Url(none, {"": "302 302 302 302 302 302 302"}),
    "jipp:hub_manage_index": Url(none, {"": "302 403 403 302 403 403 403"}),
    "jipp:hub_profile": Url(hub, {"": PUBLIC}),
    "jipp:activity_feed": Url(hub, {"": PUBLIC}),
    "jipp:activity_detail": Url(hub_and("pk", "activity"), {"past": PUBLIC, "coming": PUBLIC, "A": PUBLIC}),
    "jipp:activity_ics": Url(hub_and("pk", "activity"), {"past": PUBLIC, "coming": PUBLIC}),
    "jipp:activity_attachment": Url(
        lambda o, v: {**hub(o, v), "pk": o.activity[v].pk, "attachment": o.activity_attachment[v].pk},
        {"past": "302 200 200 200 403 403 403", "A": "302 200 403 200 403 403 403"},
    ),
    "jipp:membership_list": Url(hub, {"": "302 403 403 200 403 403 403"}),
    "jipp:membership_add": Url(hub, {"": "302 403 403 200 403 403 403"}, {"": "302 403 403 200 403 403 403"}),
    "jipp:membership_detail": Url(
        hub_and("pk", "membership"),
        {"A": "302 403 403 200 403 403 403", "B": "302 403 403 200 403 403 403"},
        {"A": "302 403 403 200 403 403 403", "B": "302 403 403 200 403 403 403"},
    ),
    "jipp:membership_end": Url(
        hub_and("pk", "membership"),
        {"A": ACTION, "B": ACTION},
        {"A": "302 403 403 302 403 403 403", "B": "302 403 403 302 403 403 403"},
    ),
    "jipp:contact_add": Url(
        hub_and("pk", "membership"),
        {"A": "302 403 403 200 403 403 403", "B": "302 403 403 200 403 403 403"},
        {"A": "302 403 403 200 403 403 403", "B": "302 403 403 200 403 403 403"},
    ),
    "jipp:contact_edit": Url(
        hub_and("pk", "contact"),
        {"A": "302 403 403 200 403 403 403", "B": "302 403 403 200 403 403 403"},
        {"A": "302 403 403 200 403 403 403", "B": "302 403 403 200 403 403 403"},
    ),
    "jipp:activity_manage_list": Url(hub, {"": "302 403 403 200 403 403 403"}),
    "jipp:activity_create": Url(hub, {"": "302 403 403 200 403 403 403"}, {"": "302 403 403 200 403 403 403"}),
    "jipp:activity_edit": Url(
        hub_and("pk", "activity"), {"coming": "302 403 403 200 403 403 403"}, {"coming": "302 403 403 200 403 403 403"}
    ),
    "jipp:activity_cancel": Url(
        hub_and("pk", "activity"), {"coming": ACTION}, {"coming": "302 403 403 302 403 403 403"}
    ),
    "jipp:activity_report": Url(
        hub_and("pk", "activity"), {"past": "302 403 403 200 403 403 403"}, {"past": "302 403 403 200 403 403 403"}
    ),
    "jipp:activity_attachment_add": Url(
        hub_and("pk", "activity"), {"past": ACTION}, {"past": "302 403 403 302 403 403 403"}
    ),
    "jipp:activity_attachment_delete": Url(
        lambda o, v: {**hub(o, v), "pk": o.activity["past"].pk, "attachment": o.activity_attachment["past"].pk},
        {"": ACTION},
        {"": "302 403 403 302 403 403 403"},
    ),
    "jipp:maturity_overview": Url(hub, {"": "302 200 200 200 403 403 200"}),
    "jipp:maturity_assessment": Url(
        hub_and("year", "maturity", "year"),
        {"submitted": "302 200 200 200 403 403 200", "draft": "302 200 200 200 403 403 200"},
        {"submitted": "302 403 403 403 403 403 403", "draft": "302 403 403 200 403 403 403"},
    ),
    "jipp:maturity_submit": Url(
        hub_and("year", "maturity", "year"),
        {"draft": ACTION},
        {"draft": "302 403 403 302 403 403 403"},
    ),
    "jipp:maturity_reopen": Url(
        hub_and("year", "maturity", "year"),
        {"submitted": ACTION},
        {"submitted": "302 403 403 302 403 403 403"},
    ),
    "jipp:maturity_evidence": Url(
        lambda o, v: {**hub(o, v), "year": o.maturity["submitted"].year, "answer": o.maturity_answer.pk},
        {"": "302 200 200 200 403 403 200"},
    ),
    # catalog: the public side
    "catalog:list": Url(none, {"": PUBLIC}),
    "catalog:feed": Url(none, {"": PUBLIC}),
    "catalog:detail": Url(
        arg("slug", "record", "slug"),
        {
            "A": NOT_FOUND,
            "B": NOT_FOUND,
            "published": PUBLIC,
        },
    ),
    "catalog:detail_pdf": Url(arg("slug", "record", "slug"), {"A": NOT_FOUND, "published": PUBLIC}),
    "catalog:statistics": Url(none, {"": PUBLIC}),
    "catalog:statistics_csv": Url(fixed(chart="regency"), {"": PUBLIC}),
}


@pytest.fixture
def _media_root():
    """The module's files stay where `matrix` put them (tests/conftest.py's fixture would give each
    test a fresh, empty folder)."""


@pytest.fixture(scope="module")
def matrix(module_data, django_db_blocker, tmp_path_factory):
    with demo_scene(django_db_blocker, tmp_path_factory.mktemp("media")) as objects:
        yield objects


def statuses(line: str) -> dict[str, int]:
    codes = line.split()
    assert len(codes) == len(ROLES), line
    return {role: int(code) for role, code in zip(ROLES, codes, strict=True)}


def url_names() -> set[str]:
    """Every URL name of the URL configuration; the admin's as one entry."""
    from django.urls import URLResolver, get_resolver

    def walk(entries, namespace: str):
        for entry in entries:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            else:
                yield f"{namespace}{entry.name}"

    return {ADMIN if name.startswith("admin:") else name for name in walk(get_resolver().url_patterns, "")}


def test_every_url_pattern_is_in_the_matrix():
    assert sorted(url_names() - set(URLS)) == []


def test_matrix_names_only_existing_url_patterns():
    assert sorted(set(URLS) - url_names()) == []


def request_all(objects, name: str, method: str, kwargs: dict[str, Any]) -> dict[str, int]:
    from django.db import transaction

    url = reverse("admin:index" if name == ADMIN else name, kwargs=kwargs)
    found = {}
    for role in ROLES:
        client = client_of(objects, role)
        if method == "get":
            found[role] = client.get(url).status_code
        else:
            with transaction.atomic():
                found[role] = client.post(url, URLS[name].data).status_code
                transaction.set_rollback(True)
    return found


@pytest.mark.parametrize("name", sorted(URLS))
def test_url_answers_each_role(matrix, db, name):
    row = URLS[name]
    found, expected = {}, {}
    for variant, line in row.get.items():
        kwargs = row.kwargs(matrix, variant)
        for role, status in request_all(matrix, name, "get", kwargs).items():
            found[(variant, role)] = status
        for role, status in statuses(line).items():
            expected[(variant, role)] = status
    assert found == expected


POSTED = sorted(name for name, row in URLS.items() if row.post)


@pytest.mark.parametrize("name", POSTED)
def test_url_action_refused_changes_nothing(matrix, db, name):
    from django.db import transaction

    row = URLS[name]
    found, expected, changed = {}, {}, {}
    for variant, line in row.post.items():
        wanted = statuses(line)
        url = reverse(name, kwargs=row.kwargs(matrix, variant))
        for role in ROLES:
            client = client_of(matrix, role)
            refused = role == "anonymous" or wanted[role] in (403, 404, 405)
            with transaction.atomic():
                before = fingerprint() if refused else None
                found[(variant, role)] = client.post(url, row.data).status_code
                if refused and fingerprint() != before:
                    changed[(variant, role)] = True
                transaction.set_rollback(True)
            expected[(variant, role)] = wanted[role]
    assert (found, changed) == (expected, {})
