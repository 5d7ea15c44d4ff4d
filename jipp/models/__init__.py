"""Models of the hub network, one module per area (each module's docstring describes its models).

- network: TimeStampedModel, Role, Region, Institution, User.
- hub: Hub, HubSettings, Membership, MembershipContact.
- activities: Activity, ActivityAttendance, ActivityAttachment.
- maturity: MaturityAspect, MaturityQuestion, MaturityOption, MaturityAssessment, MaturityAnswer.
- notices: Notice, NoticeAttachment, NoticeRecipient, Delivery.
- audit: AuditEvent.

Import them from here: `from jipp.models import Hub`.
"""

from .activities import Activity, ActivityAttachment, ActivityAttendance
from .audit import AuditEvent
from .hub import Hub, HubSettings, Membership, MembershipContact
from .maturity import MaturityAnswer, MaturityAspect, MaturityAssessment, MaturityOption, MaturityQuestion
from .network import Institution, Region, Role, TimeStampedModel, User
from .notices import Delivery, Notice, NoticeAttachment, NoticeRecipient

__all__ = [
    "Activity",
    "ActivityAttachment",
    "ActivityAttendance",
    "AuditEvent",
    "Delivery",
    "Hub",
    "HubSettings",
    "Institution",
    "MaturityAnswer",
    "MaturityAspect",
    "MaturityAssessment",
    "MaturityOption",
    "MaturityQuestion",
    "Membership",
    "MembershipContact",
    "Notice",
    "NoticeAttachment",
    "NoticeRecipient",
    "Region",
    "Role",
    "TimeStampedModel",
    "User",
]
