"""The innovation record, its evidence, workflow, awards, replications and sustainability reports."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jipp.models import Institution, Region, TimeStampedModel

from .validators import validate_video_url


class InvalidTransitionError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SDG(models.Model):
    """One of the 17 Sustainable Development Goals (TPB), loaded from innovations/data/sdgs.csv."""

    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    name_id = models.CharField(_("name (Indonesian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("SDG goal")
        verbose_name_plural = _("SDG goals")
        constraints = [models.CheckConstraint(name="sdg_number_1_to_17", condition=Q(number__gte=1, number__lte=17))]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        name = self.name_en if (get_language() or "id").startswith("en") else self.name_id
        return f"{self.number}. {name}"


class Category(TimeStampedModel):
    """A thematic category; data managed by the hub, not a constant in code."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    class Meta:
        ordering = ["name_id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "id").startswith("en") else self.name_id


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for verification")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


# The workflow's edges. Services move records only along these.
TRANSITIONS: dict[str, set[str]] = {
    State.DRAFT: {State.SUBMITTED},
    State.SUBMITTED: {State.PUBLISHED, State.RETURNED},
    State.RETURNED: {State.SUBMITTED},
    State.PUBLISHED: {State.ARCHIVED},
    State.ARCHIVED: {State.PUBLISHED},
}
EDITABLE_STATES = {State.DRAFT, State.RETURNED}


class Stage(models.TextChoices):
    INITIATIVE = "inisiatif", _("Initiative")
    TRIAL = "uji_coba", _("Trial")
    IMPLEMENTATION = "penerapan", _("Implementation")


class Kind(models.TextChoices):
    DIGITAL = "digital", _("Digital")
    NON_DIGITAL = "non_digital", _("Non-digital")


class Form(models.TextChoices):
    GOVERNANCE = "tata_kelola", _("Government governance")
    PUBLIC_SERVICE = "pelayanan_publik", _("Public service")
    OTHER = "lainnya", _("Other")


class Initiator(models.TextChoices):
    REGIONAL_HEAD = "kepala_daerah", _("Regional head")
    DPRD_MEMBER = "anggota_dprd", _("DPRD member")
    OPD = "opd", _("Regional agency (OPD)")
    ASN = "asn", _("Civil servant (ASN)")
    COMMUNITY = "masyarakat", _("Community")


class GovernmentAffair(models.TextChoices):
    """Government affairs (urusan pemerintahan) of UU 23/2014, plus supporting functions."""

    EDUCATION = "pendidikan", _("Education")
    HEALTH = "kesehatan", _("Health")
    PUBLIC_WORKS = "pu_penataan_ruang", _("Public works and spatial planning")
    HOUSING = "perumahan", _("Housing and settlements")
    PUBLIC_ORDER = "trantibum", _("Public order and community protection")
    SOCIAL = "sosial", _("Social affairs")
    LABOUR = "tenaga_kerja", _("Labour")
    WOMEN_CHILDREN = "pppa", _("Women's empowerment and child protection")
    FOOD = "pangan", _("Food")
    LAND = "pertanahan", _("Land")
    ENVIRONMENT = "lingkungan_hidup", _("Environment")
    CIVIL_REGISTRY = "adminduk", _("Population administration and civil registry")
    VILLAGES = "pmd", _("Community and village empowerment")
    FAMILY_PLANNING = "kb", _("Population control and family planning")
    TRANSPORT = "perhubungan", _("Transport")
    COMMUNICATION = "kominfo", _("Communication and informatics")
    COOPERATIVES = "koperasi_ukm", _("Cooperatives and small businesses")
    INVESTMENT = "penanaman_modal", _("Investment")
    YOUTH_SPORT = "kepemudaan_olahraga", _("Youth and sport")
    STATISTICS = "statistik", _("Statistics")
    CULTURE = "kebudayaan", _("Culture")
    LIBRARY = "perpustakaan", _("Libraries")
    ARCHIVES = "kearsipan", _("Archives")
    FISHERIES = "kelautan_perikanan", _("Marine affairs and fisheries")
    TOURISM = "pariwisata", _("Tourism")
    AGRICULTURE = "pertanian", _("Agriculture")
    FORESTRY = "kehutanan", _("Forestry")
    ENERGY = "esdm", _("Energy and mineral resources")
    TRADE = "perdagangan", _("Trade")
    INDUSTRY = "perindustrian", _("Industry")
    PLANNING = "perencanaan", _("Planning and research")
    FINANCE = "keuangan", _("Regional finance")
    PERSONNEL = "kepegawaian", _("Personnel")
    OTHER = "lainnya", _("Other")


class BudgetSource(models.TextChoices):
    APBD = "apbd", _("Regional budget (APBD)")
    APBN = "apbn", _("State budget (APBN)")
    VILLAGE = "apbdes", _("Village budget (APBDes)")
    PRIVATE = "swasta", _("Private sector or CSR")
    GRANT = "hibah", _("Grant")
    NONE = "tanpa_anggaran", _("No budget")
    OTHER = "lainnya", _("Other")


class SustainabilityStatus(models.TextChoices):
    CONTINUES = "berlanjut", _("Continues")
    DEVELOPED = "berlanjut_pengembangan", _("Continues with development")
    STOPPED = "berhenti", _("Stopped")


# Text sections of the record: field name -> character limit. Forms show the limit while typing.
SECTION_LIMITS: dict[str, int] = {
    "summary": 1500,
    "background": 3000,
    "goals": 2000,
    "novelty": 2000,
    "implementation": 4000,
    "significance": 3000,
    "adaptability": 2000,
    "resources": 2000,
    "sustainability": 2000,
    "collaboration": 2000,
}

# Profile fields the operator types on the record form (besides the title and the sections).
PROFILE_FIELDS: tuple[str, ...] = (
    "stage",
    "kind",
    "form",
    "initiator",
    "government_affair",
    "trial_date",
    "implementation_date",
    "budget",
    "budget_source",
    "video_url",
    "unit",
)
# What a record says: copied between a published record and its pending change, compared in the diff.
CONTENT_FIELDS: tuple[str, ...] = ("title", *SECTION_LIMITS.keys(), *PROFILE_FIELDS)


class Innovation(TimeStampedModel):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    institution = models.ForeignKey(
        Institution, verbose_name=_("owner institution"), on_delete=models.PROTECT, related_name="innovations"
    )
    unit = models.CharField(_("unit"), max_length=200, blank=True, help_text=_("The unit (UPP) that runs it."))
    # Derived from the institution by the services, never typed.
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="innovations")
    # A pending change of a published record: its own row, so that the published version stays
    # public until the change is verified (then copied onto `revision_of` and removed).
    revision_of = models.OneToOneField(
        "self",
        verbose_name=_("pending change of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pending_revision",
    )

    summary = models.TextField(_("summary"), max_length=SECTION_LIMITS["summary"], blank=True)
    background = models.TextField(_("background"), max_length=SECTION_LIMITS["background"], blank=True)
    goals = models.TextField(_("goals"), max_length=SECTION_LIMITS["goals"], blank=True)
    novelty = models.TextField(_("novelty"), max_length=SECTION_LIMITS["novelty"], blank=True)
    implementation = models.TextField(_("implementation"), max_length=SECTION_LIMITS["implementation"], blank=True)
    significance = models.TextField(
        _("significance, evaluation and impact"), max_length=SECTION_LIMITS["significance"], blank=True
    )
    adaptability = models.TextField(
        _("adaptability and replication"), max_length=SECTION_LIMITS["adaptability"], blank=True
    )
    resources = models.TextField(_("resources"), max_length=SECTION_LIMITS["resources"], blank=True)
    sustainability = models.TextField(_("sustainability"), max_length=SECTION_LIMITS["sustainability"], blank=True)
    collaboration = models.TextField(
        _("stakeholder collaboration"), max_length=SECTION_LIMITS["collaboration"], blank=True
    )

    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, blank=True)
    form = models.CharField(_("form"), max_length=20, choices=Form.choices, blank=True)
    initiator = models.CharField(_("initiator"), max_length=20, choices=Initiator.choices, blank=True)
    government_affair = models.CharField(
        _("government affair"), max_length=30, choices=GovernmentAffair.choices, blank=True
    )
    trial_date = models.DateField(_("trial date"), null=True, blank=True)
    implementation_date = models.DateField(_("implementation date"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget (Rp)"), max_digits=15, decimal_places=0, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    budget_source = models.CharField(_("budget source"), max_length=20, choices=BudgetSource.choices, blank=True)
    sdgs = models.ManyToManyField(SDG, verbose_name=_("SDG goals"), blank=True, related_name="innovations")
    categories = models.ManyToManyField(Category, verbose_name=_("categories"), blank=True, related_name="innovations")
    video_url = models.URLField(_("video link"), blank=True, validators=[validate_video_url])
    sustainability_status = models.CharField(
        _("sustainability status"), max_length=30, choices=SustainabilityStatus.choices, blank=True
    )

    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Roots of the record's words for the catalogue's search, one string per weight, written by the
    # services with the record (innovations.search.fill_search_document). PostgreSQL's trigger turns
    # them into search_vector (see the catalogue's search migrations); SQLite searches them directly.
    search_title = models.TextField(blank=True, default="", editable=False)
    search_summary = models.TextField(blank=True, default="", editable=False)
    search_body = models.TextField(blank=True, default="", editable=False)
    search_place = models.TextField(blank=True, default="", editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=[
            "search_vector",
            "search_title",
            "search_summary",
            "search_body",
            "search_place",
            "updated_at",
        ],
        m2m_fields=[sdgs, categories],
    )

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("innovation")
        verbose_name_plural = _("innovations")
        constraints = [
            models.CheckConstraint(
                name="innovation_implementation_not_before_trial",
                condition=Q(trial_date__isnull=True)
                | Q(implementation_date__isnull=True)
                | Q(implementation_date__gte=F("trial_date")),
            ),
            models.CheckConstraint(name="innovation_budget_not_negative", condition=Q(budget__gte=0)),
            models.CheckConstraint(
                name="innovation_revision_is_never_public",
                condition=Q(revision_of__isnull=True) | ~Q(state__in=["published", "archived"]),
            ),
        ]
        indexes = [
            models.Index(fields=["state", "-published_at"], name="innovation_state_published"),
            models.Index(fields=["institution", "state"], name="innovation_institution_state"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalog:detail", kwargs={"slug": self.slug})

    def get_manage_url(self) -> str:
        return reverse("innovations:detail", kwargs={"slug": self.slug})

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def implementation_year(self) -> int | None:
        return self.implementation_date.year if self.implementation_date else None

    def transition_to(self, state: str) -> None:
        if state not in TRANSITIONS.get(self.state, set()):
            raise InvalidTransitionError(
                _("A record that is “%(current)s” cannot become “%(target)s”.")
                % {"current": State(self.state).label, "target": State(state).label}
            )
        self.state = state


def innovation_field_label(name: str) -> str:
    """The translated label of a field of Innovation, for messages and change lists."""
    return str(getattr(Innovation._meta.get_field(name), "verbose_name", name))


class WorkflowEvent(models.Model):
    """One transition of a record: who, when, from which state to which, and why."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    from_state = models.CharField(_("from"), max_length=16, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=16, choices=State.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("workflow event")
        verbose_name_plural = _("workflow events")

    def __str__(self) -> str:
        return f"{self.innovation_id}: {self.from_state} → {self.to_state}"


class Award(TimeStampedModel):
    class Competition(models.TextChoices):
        KIPP = "kipp", _("KIPP (KemenPANRB)")
        IGA = "iga", _("Innovative Government Award (Kemendagri)")
        PROVINCIAL = "provincial", _("Provincial award")
        OTHER = "other", _("Other")

    class Rank(models.TextChoices):
        TOP_99 = "top99", _("Top 99")
        TOP_45 = "top45", _("Top 45")
        OUTSTANDING = "outstanding", _("Outstanding Achievement")
        PROVINCIAL = "provincial", _("Provincial winner")
        IGA = "iga", _("IGA awardee")
        OTHER = "other", _("Other")

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="awards")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    competition = models.CharField(_("competition"), max_length=16, choices=Competition.choices)
    rank = models.CharField(_("rank"), max_length=16, choices=Rank.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Set by the app that decided it (KIPP's final decision): the record form shows it but neither
    # changes nor removes it.
    locked = models.BooleanField(_("set by a published competition result"), default=False, editable=False)

    class Meta:
        ordering = ["-year", "competition", "pk"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.UniqueConstraint(fields=["innovation", "year", "competition", "rank"], name="award_unique"),
            models.CheckConstraint(name="award_year_sane", condition=Q(year__gte=2000, year__lte=2100)),
        ]

    def __str__(self) -> str:
        return f"{self.get_competition_display()} {self.year}: {self.get_rank_display()}"


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    # Generated names: the uploader's file name is kept only as metadata, never as a path.
    suffix = PurePosixPath(filename).suffix.lower()
    return f"evidence/{uuid.uuid4().hex}{suffix}"


def agreement_upload_to(instance: Replication, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()
    return f"agreements/{uuid.uuid4().hex}{suffix}"


def preview_upload_to(instance: Evidence, filename: str) -> str:
    return f"previews/{uuid.uuid4().hex}.webp"


class Evidence(TimeStampedModel):
    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        PHOTO = "photo", _("Photo")

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=200)
    preview = models.ImageField(_("preview"), upload_to=preview_upload_to, max_length=200, blank=True)
    caption = models.CharField(_("caption"), max_length=300)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["kind", "created_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.caption


class Replication(TimeStampedModel):
    """An institution replicating a published innovation of another institution."""

    class Status(models.TextChoices):
        INTEREST = "interest", _("Interest")
        AGREEMENT = "agreement", _("Agreement")
        APPROVED = "approved", _("Approved by the owner")
        IMPLEMENTED = "implemented", _("Implemented")
        REJECTED = "rejected", _("Rejected")

    STEPS: dict[str, set[str]] = {
        "interest": {"agreement", "rejected"},
        "agreement": {"approved", "rejected"},
        "approved": {"implemented"},
        "implemented": set(),
        "rejected": set(),
    }

    origin = models.ForeignKey(
        Innovation, verbose_name=_("origin"), on_delete=models.PROTECT, related_name="replications"
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("replicating institution"), on_delete=models.PROTECT, related_name="replications"
    )
    # The replicating institution's own record of the replica, once it has one: the lineage link.
    replica = models.OneToOneField(
        Innovation,
        verbose_name=_("replica record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replicated_from",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.INTEREST)
    scope = models.CharField(_("scope"), max_length=200, blank=True, help_text=_("Whole, or which parts."))
    note = models.TextField(_("note"), blank=True)
    agreement_document = models.FileField(
        _("agreement document"), upload_to=agreement_upload_to, max_length=200, blank=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("replication")
        verbose_name_plural = _("replications")
        constraints = [
            models.UniqueConstraint(
                fields=["origin", "institution"],
                condition=~Q(status="rejected"),
                name="replication_one_open_per_institution",
            ),
            models.CheckConstraint(name="replication_not_of_itself", condition=~Q(replica=F("origin"))),
        ]

    def __str__(self) -> str:
        return f"{self.origin} → {self.institution}"


class ReplicationEvent(models.Model):
    replication = models.ForeignKey(Replication, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=16, choices=Replication.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.replication_id}: {self.status}"


class SustainabilityUpdate(TimeStampedModel):
    """The owner's yearly report on whether the innovation goes on."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="sustainability_updates")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    status = models.CharField(_("status"), max_length=30, choices=SustainabilityStatus.choices)
    reason = models.TextField(_("reason or development"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-year"]
        verbose_name = _("sustainability update")
        verbose_name_plural = _("sustainability updates")
        constraints = [
            models.UniqueConstraint(fields=["innovation", "year"], name="sustainability_one_per_year"),
            models.CheckConstraint(
                name="sustainability_stop_needs_reason", condition=~Q(status="berhenti") | ~Q(reason="")
            ),
        ]


class ImportBatch(TimeStampedModel):
    """One uploaded import file: all-or-nothing, identified by its content hash."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Refused")

    file = models.FileField(_("file"), upload_to="imports/", max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    institution = models.ForeignKey(
        Institution, verbose_name=_("default institution"), null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    dry_run = models.BooleanField(_("check only"), default=False)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    # Rows handled by the write phase (created or skipped), for the progress bar.
    written_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Runs started: a file that stops its worker every time ends as failed instead of being retried forever.
    attempts = models.PositiveSmallIntegerField(default=0)
    # The records this import wrote: the rows are committed in chunks, and a run that does not finish
    # removes what it wrote through this link.
    records = models.ManyToManyField(Innovation, blank=True, related_name="import_batches", verbose_name=_("records"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(
                name="import_progress_within_total", condition=Q(processed_rows__lte=F("total_rows"))
            ),
            models.CheckConstraint(name="import_written_within_total", condition=Q(written_rows__lte=F("total_rows"))),
        ]
