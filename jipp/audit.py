"""What the audit log records without a service asking: sign-ins and sign-outs (Django's auth
signals, which axes also listens to: a locked-out attempt is a failed sign-in too), and changes of
users and their roles wherever they are made (the Django admin included). Connected in JippConfig.ready."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from .models import AuditEvent, User
from .services.audit import audit_record

Action = AuditEvent.Action
# The fields of a user whose change is recorded (the password only as "changed", never its hash).
TRACKED_FIELDS = ("username", "email", "institution_id", "is_active", "is_staff", "is_superuser", "password")


def signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action=Action.SIGN_IN, by=user, target=user, request=request)


def sign_in_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # Axes has already replaced the password with asterisks; only the name typed is kept.
    name = str(credentials.get("username") or "")
    audit_record(action=Action.SIGN_IN_FAILED, request=request, actor_name=name)


def signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action=Action.SIGN_OUT, by=user, target=user, request=request)


def user_before_save(sender: Any, instance: User, raw: bool = False, **kwargs: Any) -> None:
    instance._audit_before = None
    if raw or instance.pk is None:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_login", "updated_at"}:
        return  # signing in stamps last_login: recorded as the sign-in itself
    instance._audit_before = User.objects.filter(pk=instance.pk).values(*TRACKED_FIELDS).first()


def user_saved(sender: Any, instance: User, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    if created:
        audit_record(action=Action.USER_CREATED, target=instance, data={"username": instance.username})
        return
    before = getattr(instance, "_audit_before", None)
    if not before:
        return
    changes = {
        name: ["…", "…"] if name == "password" else [before[name], getattr(instance, name)]
        for name in TRACKED_FIELDS
        if before[name] != getattr(instance, name)
    }
    if changes:
        audit_record(action=Action.USER_CHANGED, target=instance, data={"changes": changes})


def user_deleted(sender: Any, instance: User, **kwargs: Any) -> None:
    audit_record(action=Action.USER_DELETED, data={"username": instance.username, "id": instance.pk})


def roles_changed(sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any) -> None:
    if action == "pre_clear":
        # What is about to be removed, read before it goes (post_clear no longer knows it).
        if isinstance(instance, User):
            names = list(instance.groups.values_list("name", flat=True))
            if names:
                audit_record(action=Action.ROLES_CHANGED, target=instance, data={"removed": names})
        else:
            for user in instance.user_set.all():
                audit_record(action=Action.ROLES_CHANGED, target=user, data={"removed": [instance.name]})
        return
    if action not in ("post_add", "post_remove") or not pk_set:
        return
    key = "added" if action == "post_add" else "removed"
    if isinstance(instance, User):
        names = sorted(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
        audit_record(action=Action.ROLES_CHANGED, target=instance, data={key: names})
    else:
        for user in User.objects.filter(pk__in=pk_set):
            audit_record(action=Action.ROLES_CHANGED, target=user, data={key: [instance.name]})


# Trails kept elsewhere, linked from the audit page: (label, URL name, permission). A higher app
# registers its own (competitions: each KIPP edition's history) instead of jipp importing it.
_other_trails: list[tuple[Any, str, str]] = []


def register_trail(label: Any, url_name: str, permission: str) -> None:
    if (label, url_name, permission) not in _other_trails:
        _other_trails.append((label, url_name, permission))


def other_trails() -> list[tuple[Any, str, str]]:
    return list(_other_trails)


def connect() -> None:
    user_logged_in.connect(signed_in, dispatch_uid="jipp.audit.signed_in")
    user_login_failed.connect(sign_in_failed, dispatch_uid="jipp.audit.sign_in_failed")
    user_logged_out.connect(signed_out, dispatch_uid="jipp.audit.signed_out")
    pre_save.connect(user_before_save, sender=User, dispatch_uid="jipp.audit.user_before_save")
    post_save.connect(user_saved, sender=User, dispatch_uid="jipp.audit.user_saved")
    post_delete.connect(user_deleted, sender=User, dispatch_uid="jipp.audit.user_deleted")
    m2m_changed.connect(roles_changed, sender=User.groups.through, dispatch_uid="jipp.audit.roles_changed")
