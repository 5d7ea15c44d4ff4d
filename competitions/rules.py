"""Who may do what in a KIPP edition (autodiscovered by django-rules).

The ministry administrator is the secretariat: it configures editions, stages and rubrics and runs
the administrative selection. Operators enter their own institution's published innovations; the
hub administrator may enter any member institution's. Reviewers (Tim Evaluasi) and panelists (TPI)
see only the entries assigned to them, through their own selectors.
"""

from typing import Any

import rules

from innovations.models import Innovation
from jipp.permissions import is_hub_admin, is_ministry_admin, is_operator, is_panelist, is_reviewer, is_superuser

from .models import Entry


@rules.predicate
def has_institution(user: Any) -> bool:
    return getattr(user, "institution_id", None) is not None


@rules.predicate
def owns_innovation(user: Any, innovation: Innovation | None) -> bool:
    return (
        innovation is not None and user.institution_id is not None and innovation.institution_id == user.institution_id
    )


@rules.predicate
def owns_entry(user: Any, entry: Entry | None) -> bool:
    return entry is not None and user.institution_id is not None and entry.institution_id == user.institution_id


secretariat = is_ministry_admin | is_superuser
hub = is_hub_admin | is_superuser
entrant = (is_operator & has_institution) | hub

# Editions, stages and rubrics.
rules.add_perm("competitions.manage_editions", secretariat)
# Entries: who enters, and on which record.
rules.add_perm("competitions.add_entry", entrant)
# Whether the record is eligible (published, old enough, ...) is the entry service's question: it says why not.
rules.add_perm("competitions.enter_innovation", (is_operator & owns_innovation) | hub)
rules.add_perm("competitions.withdraw_entry", (is_operator & owns_entry) | hub)
# The entries lists: an operator's institution's entries; every entry for the hub and the secretariat.
rules.add_perm("competitions.view_entries", entrant | secretariat)
rules.add_perm("competitions.view_entry", (is_operator & owns_entry) | hub | secretariat)
# Administrative selection: completeness, age, duplicates.
rules.add_perm("competitions.select_entries", secretariat)
# Scoring assigned entries (the assignment itself is checked by the reviewers' selectors).
rules.add_perm("competitions.score_entries", is_reviewer | is_panelist)
# Who scores which entry, conflicts of interest; the stages' scores, ranking and agreement.
rules.add_perm("competitions.assign_reviewers", secretariat)
rules.add_perm("competitions.view_scores", secretariat)
# Decisions on a ranking, announcing finalists, publishing results, answering objections, exports.
rules.add_perm("competitions.decide", secretariat)
rules.add_perm("competitions.answer_objections", secretariat)
rules.add_perm("competitions.export_scores", secretariat)
# A winner's certificate: whoever may open the entry (its institution's operators, the hub, the secretariat).
rules.add_perm("competitions.download_certificate", (is_operator & owns_entry) | hub | secretariat)
