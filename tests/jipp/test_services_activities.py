"""Activities: planning, changing, cancelling, attendance, minutes and attachments."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jipp.models import ActivityAttachment, ActivityAttendance
from jipp.services.activities import (
    ActivityData,
    AttendanceLine,
    activity_attachment_add,
    activity_attachment_delete,
    activity_cancel,
    activity_create,
    activity_report,
    activity_update,
)
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

START = timezone.make_aware(datetime.datetime(2030, 3, 18, 9, 0))


def data(**changes) -> ActivityData:
    values = {
        "kind": "coaching",
        "title": "Pembinaan Inovasi Pelayanan Publik",
        "description": "",
        "starts_at": START,
        "ends_at": START + datetime.timedelta(hours=3),
        "mode": "online",
        "place": "",
        "link": "https://zoom.example.org/j/1",
    }
    values.update(changes)
    return ActivityData(**values)


def test_activity_create_invites_member_institutions(hub_network, hub_admin, institution, other_institution):
    activity = activity_create(hub=hub_network, data=data(), invited=[institution, other_institution], by=hub_admin)
    assert (activity.sequence, set(activity.invited.all())) == (0, {institution, other_institution})


def test_activity_create_inviting_a_non_member_is_refused(hub_network, hub_admin):
    outsider = InstitutionFactory(code="bukan-anggota")
    with pytest.raises(ValidationError) as error:
        activity_create(hub=hub_network, data=data(), invited=[outsider], by=hub_admin)
    assert list(error.value.message_dict) == ["invited"]


def test_activity_create_inviting_a_unit_under_a_member_is_allowed(hub_network, hub_admin, institution):
    unit = InstitutionFactory(code="upp-uji", parent=institution, kind="upp")
    activity = activity_create(hub=hub_network, data=data(), invited=[unit], by=hub_admin)
    assert list(activity.invited.all()) == [unit]


def test_activity_create_on_site_without_place_is_refused(hub_network, hub_admin):
    with pytest.raises(ValidationError) as error:
        activity_create(hub=hub_network, data=data(mode="on_site", link=""), invited=[], by=hub_admin)
    assert list(error.value.message_dict) == ["place"]


def test_activity_create_by_operator_is_refused(hub_network, operator):
    with pytest.raises(PermissionDenied):
        activity_create(hub=hub_network, data=data(), invited=[], by=operator)


def test_activity_update_of_time_raises_the_sequence(hub_network, hub_admin, activity):
    changed = activity_update(
        activity=activity,
        data=data(starts_at=START + datetime.timedelta(days=1), ends_at=START + datetime.timedelta(days=1, hours=2)),
        invited=[],
        by=hub_admin,
    )
    assert changed.sequence == 1


def test_activity_update_of_invitations_only_keeps_the_sequence(hub_network, hub_admin, institution):
    activity = activity_create(hub=hub_network, data=data(), invited=[], by=hub_admin)
    changed = activity_update(activity=activity, data=data(), invited=[institution], by=hub_admin)
    assert (changed.sequence, list(changed.invited.all())) == (0, [institution])


def test_activity_cancel_marks_it_and_raises_the_sequence(hub_network, hub_admin, activity):
    cancelled = activity_cancel(activity=activity, by=hub_admin)
    assert (cancelled.cancelled, cancelled.sequence) == (True, 1)


def test_activity_cancel_twice_is_refused(hub_network, hub_admin, activity):
    activity_cancel(activity=activity, by=hub_admin)
    with pytest.raises(ValidationError):
        activity_cancel(activity=activity, by=hub_admin)


def test_activity_report_records_attendance_and_minutes(hub_network, hub_admin, activity, institution):
    activity_report(
        activity=activity,
        minutes="Disepakati tiga langkah.",
        attendance={institution.pk: AttendanceLine(attended=True, names="Andi\nSitti")},
        by=hub_admin,
    )
    line = ActivityAttendance.objects.get(activity=activity)
    activity.refresh_from_db()
    assert (activity.minutes, line.institution, line.attended, line.names) == (
        "Disepakati tiga langkah.",
        institution,
        True,
        "Andi\nSitti",
    )


def test_activity_report_twice_updates_the_same_line(hub_network, hub_admin, activity, institution):
    for attended in (True, False):
        activity_report(
            activity=activity, minutes="", attendance={institution.pk: AttendanceLine(attended=attended)}, by=hub_admin
        )
    assert list(ActivityAttendance.objects.values_list("attended", flat=True)) == [False]


def test_activity_report_for_a_non_member_is_refused(hub_network, hub_admin, activity):
    outsider = InstitutionFactory(code="bukan-anggota")
    with pytest.raises(ValidationError):
        activity_report(
            activity=activity, minutes="", attendance={outsider.pk: AttendanceLine(attended=True)}, by=hub_admin
        )


def test_activity_attachment_add_names_the_file_by_its_content(hub_network, hub_admin, activity):
    upload = SimpleUploadedFile("notulen.exe", b"%PDF-1.4\n%%EOF\n", content_type="application/x-msdownload")
    attachment = activity_attachment_add(activity=activity, upload=upload, caption="Notulen", by=hub_admin)
    assert (attachment.content_type, attachment.file.name.endswith(".pdf"), attachment.original_name) == (
        "application/pdf",
        True,
        "notulen.exe",
    )


def test_activity_attachment_add_of_another_type_is_refused_and_stores_nothing(hub_network, hub_admin, activity):
    upload = SimpleUploadedFile("notulen.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        activity_attachment_add(activity=activity, upload=upload, by=hub_admin)
    assert (error.value.code, ActivityAttachment.objects.count()) == ("type", 0)


def test_activity_attachment_add_too_large_is_refused(hub_network, hub_admin, activity, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    upload = SimpleUploadedFile("notulen.pdf", b"%PDF-1.4\n" + b"0" * 20, content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        activity_attachment_add(activity=activity, upload=upload, by=hub_admin)
    assert error.value.code == "too_large"


def test_activity_attachment_delete_removes_the_file_after_commit(
    hub_network, hub_admin, activity, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")
    attachment = activity_attachment_add(activity=activity, upload=upload, by=hub_admin)
    storage, name = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        activity_attachment_delete(attachment=attachment, by=hub_admin)
    assert (storage.exists(name), ActivityAttachment.objects.count()) == (False, 0)
