from __future__ import annotations

import calendar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tilik.core.i18n import gettext_noop, translate
from tilik.core.nip import mask_nip, nip_problem, parse_nip, pseudonymise
from tilik.web.accounts.models import Organisation
from tilik.web.jobs.models import Job


def validate_nip(value: str) -> None:
    problem = nip_problem(value)
    if problem:
        # The value itself is not repeated: NIPs never reach logs or error pages.
        raise ValidationError(translate(problem), code="invalid_nip")


class EvaluationQuerySet(models.QuerySet):
    def for_user(self, user) -> EvaluationQuerySet:
        """The evaluations ``user`` is a member of: the only ones they may reach."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(members__user=user).distinct()


class Evaluation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Perencanaan")
        COLLECTING = "collecting", _("Pengumpulan data")
        ANALYSING = "analysing", _("Analisis")
        REPORTED = "reported", _("Dilaporkan")
        ARCHIVED = "archived", _("Diarsipkan")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("instansi"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    title = models.CharField(_("judul"), max_length=250)
    period = models.CharField(_("periode"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    objectives = models.JSONField(_("tujuan evaluasi"), default=list, blank=True)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("siklus sebelumnya"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_cycles",
        help_text=_("evaluasi program yang sama pada periode sebelumnya; hasilnya dibandingkan"),
    )
    settings = models.JSONField(
        _("pengaturan"),
        default=dict,
        blank=True,
        help_text=_("isi evaluasi.yaml selain yang punya kolom sendiri"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    retention_months = models.PositiveSmallIntegerField(
        _("masa simpan data pribadi (bulan)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "Dihitung sejak data terakhir diterima. Setelah itu nama, NIP, kontak dan jawaban "
            "terbuka asli dihapus; angka gabungan, laporan dan jejak audit tetap ada."
        ),
    )
    personal_data_purged_at = models.DateTimeField(
        _("data pribadi dihapus pada"), null=True, blank=True
    )

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluasi")
        verbose_name_plural = _("evaluasi")
        ordering = ["-period", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "title", "period"], name="evaluation_unique_title"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def role_of(self, user) -> str | None:
        member = self.members.filter(user=user).first() if user.is_authenticated else None
        return member.role if member else None

    def can_edit(self, user) -> bool:
        return self.role_of(user) == Member.Role.EVALUATOR

    def earlier_cycles(self, limit: int = 10) -> list[Evaluation]:
        """The previous cycle, its previous cycle, …: nearest first, never looping."""
        chain: list[Evaluation] = []
        seen = {self.pk}
        node = self.previous
        while node is not None and node.pk not in seen and len(chain) < limit:
            chain.append(node)
            seen.add(node.pk)
            node = node.previous
        return chain

    def last_data_at(self):
        """When the evaluation last received data (or was created): retention counts from it."""
        from django.db.models import Max

        from tilik.web.collection.models import Submission

        latest = Submission.objects.filter(instrument__evaluation=self).aggregate(
            at=Max("received_at")
        )["at"]
        return max(filter(None, [latest, self.created_at]))

    def retention_end(self):
        """The day personal data is purged: ``retention_months`` after the last data."""
        start = self.last_data_at()
        month = start.month - 1 + self.retention_months
        year, month = start.year + month // 12, month % 12 + 1
        day = min(start.day, calendar.monthrange(year, month)[1])
        return start.replace(year=year, month=month, day=day)

    def organisations(self) -> list[Organisation]:
        """The instansi / OPD of this evaluation: where its participants work, at the level
        right under the evaluation's organisation (a unit counts as its OPD); before any
        participant is listed, the organisation's own OPDs; without those, the organisation."""
        top = self.organisation
        found: dict[int, Organisation] = {}
        worked_in = Organisation.objects.filter(
            employees__enrolments__cohort__program__evaluation=self
        ).distinct()
        for organisation in worked_in:
            chain = [organisation, *organisation.ancestors()]
            level = next((o for o in chain if o.parent_id == top.pk), None)
            if level is None:
                level = top if top in chain else chain[-1]
            found[level.pk] = level
        if not found:
            found = {o.pk: o for o in top.children.exclude(kind=Organisation.Kind.UNIT)}
        return sorted(found.values() or [top], key=lambda o: o.name.lower())

    def units(self) -> list[Organisation]:
        """The unit kerja its participants work in (organisations of kind unit)."""
        return list(
            Organisation.objects.filter(
                employees__enrolments__cohort__program__evaluation=self,
                kind=Organisation.Kind.UNIT,
            )
            .distinct()
            .order_by("name")
        )


class Member(models.Model):
    class Role(models.TextChoices):
        EVALUATOR = "evaluator", _("Evaluator")
        LEADER = "leader", _("Pimpinan")
        VIEWER = "viewer", _("Pembaca")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="evaluation_memberships",
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.EVALUATOR)

    class Meta:
        verbose_name = _("anggota tim evaluasi")
        verbose_name_plural = _("anggota tim evaluasi")
        constraints = [models.UniqueConstraint(fields=["evaluation", "user"], name="member_once")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


PROGRAM_QUESTION = "program"  # the question instruments name a program with


def _plain(text: str) -> str:
    """A name compared without case, extra spacing or a closing full stop."""
    return " ".join(str(text).casefold().split()).strip(" .")


def program_choices(evaluation_id: int) -> list[tuple[str, set[str]]]:
    """Every choice of a ``program`` question in an evaluation's instruments: its name and
    its labels (every language) as :func:`_plain` compares them; each form read once."""
    from tilik.web.collection.models import Instrument

    found = []
    instruments = Instrument.objects.filter(evaluation_id=evaluation_id)
    for instrument in instruments.exclude(current=None).select_related("current"):
        form = instrument.form()
        for question in form.questions:
            if question.name != PROGRAM_QUESTION or not question.list_name:
                continue
            for choice in form.choices.get(question.list_name, []):
                labels = {choice.label, *choice.labels.values()}
                found.append((choice.name, {_plain(label) for label in labels if label}))
    return found


class Program(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="programs")
    name = models.CharField(_("nama program"), max_length=250)
    code = models.SlugField(
        _("kode"),
        max_length=64,
        help_text=_("nama pilihan program di instrumen; tetap bila nama program diubah"),
    )
    kind = models.CharField(_("jenis"), max_length=100, blank=True)
    jp = models.DecimalField(
        _("JP"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("jam pelajaran; 1 JP = 45 menit"),
    )
    start = models.DateField(_("mulai"), null=True, blank=True)
    end = models.DateField(_("selesai"), null=True, blank=True)
    budget = models.DecimalField(
        _("anggaran (Rp)"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    participants_planned = models.PositiveIntegerField(
        _("jumlah peserta terdaftar"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("program")
        ordering = ["start", "name"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "name"], name="program_once"),
            models.UniqueConstraint(fields=["evaluation", "code"], name="program_code_once"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.code:
            # the instruments' module reads XLSForms (openpyxl, pyxform): not imported at start-up
            from tilik.core.instruments import OTHER, choice_name

            taken = Program.objects.filter(evaluation_id=self.evaluation_id).values_list(
                "code", flat=True
            )
            self.code = choice_name(self.name, [*taken, OTHER.name])
        super().save(*args, **kwargs)

    def answer_codes(self, choices: list[tuple[str, set[str]]] | None = None) -> set[str]:
        """The names responses give this program in a ``program`` question: its code, and in
        each of the evaluation's instruments the choice labelled with its name (instruments
        from a bundle or an upload name their choices their own way, e.g. ``manajemen_faskes``
        for "Pelatihan Manajemen Rumah Sakit dan Puskesmas"). ``choices``: the evaluation's
        :func:`program_choices`, when the caller asks for several programs."""
        if choices is None:
            choices = program_choices(self.evaluation_id)
        wanted = _plain(self.name)
        codes = {self.code} if self.code else set()
        codes.update(name for name, labels in choices if wanted in labels)
        return codes

    def answers_naming(self) -> dict[str, int]:
        """Responses that answer this program (any of :meth:`answer_codes` in a ``program``
        question), by instrument title: while there are any, the program cannot be removed."""
        from django.db.models.fields.json import KT
        from django.db.models.functions import Cast

        from tilik.web.collection.models import Submission

        # the answer as text (->>): answers are json, not jsonb, on PostgreSQL, and json has
        # no equality
        found = (
            Submission.objects.filter(instrument__evaluation_id=self.evaluation_id)
            .annotate(program_answer=Cast(KT("answers__program"), models.TextField()))
            .filter(program_answer__in=sorted(self.answer_codes()))
            .values_list("instrument__title", "instrument__form_id")
            .annotate(n=models.Count("id"))
        )
        return {title or form_id: n for title, form_id, n in found}


class Cohort(models.Model):
    """An angkatan: one run of a program."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(_("angkatan"), max_length=100)
    start = models.DateField(_("mulai"), null=True, blank=True)
    end = models.DateField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("angkatan")
        verbose_name_plural = _("angkatan")
        ordering = ["program", "name"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="cohort_once")]

    def __str__(self) -> str:
        return f"{self.program} — {self.name}"


class Employee(models.Model):
    """An ASN. The NIP is personal data: shown masked, never logged, hashed for analysis."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="employees"
    )
    nip = models.CharField(_("NIP"), max_length=18, unique=True, validators=[validate_nip])
    name = models.CharField(_("nama"), max_length=200, blank=True)
    gender = models.CharField(
        _("jenis kelamin"),
        max_length=1,
        blank=True,
        choices=[("L", _("Laki-laki")), ("P", _("Perempuan"))],
    )
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    grade = models.CharField(_("golongan"), max_length=20, blank=True)
    sector = models.CharField(_("sektor"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("ASN")
        verbose_name_plural = _("ASN")
        ordering = ["organisation", "name"]

    def __str__(self) -> str:
        return f"{self.name or _('ASN')} ({self.masked_nip})"

    def save(self, *args, **kwargs) -> None:
        info = parse_nip(self.nip)
        if info is not None:
            self.nip = info.nip
            self.birth_date = self.birth_date or info.birth_date
            self.gender = self.gender or info.gender
        super().save(*args, **kwargs)

    @property
    def masked_nip(self) -> str:
        return mask_nip(self.nip)

    def pseudonym(self) -> str:
        return pseudonymise(self.nip, settings.TILIK_HASH_KEY.encode())


class Enrolment(models.Model):
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("angkatan"), on_delete=models.CASCADE, related_name="enrolments"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("ASN"), on_delete=models.CASCADE, related_name="enrolments"
    )
    attendance = models.DecimalField(
        _("kehadiran"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("proporsi 0–1"),
    )
    jp_completed = models.DecimalField(
        _("JP diselesaikan"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    year = models.PositiveSmallIntegerField(_("tahun"), null=True, blank=True)

    class Meta:
        verbose_name = _("peserta")
        verbose_name_plural = _("peserta")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "employee"], name="enrolment_once")
        ]

    def __str__(self) -> str:
        return f"{self.employee} — {self.cohort}"


class ParticipantImport(Job):
    """One participant list (SIASN-style CSV or XLSX) imported into an evaluation by a worker
    (:class:`~tilik.web.jobs.models.Job`): every row stored, already there, or held in
    :class:`HeldParticipant` with its problems."""

    EXECUTE = "tilik.web.evaluations.participants.execute_import"
    MESSAGES = {
        "interrupted": gettext_noop(
            "impor peserta terputus (server atau worker berhenti); baris yang sudah tersimpan "
            "tetap ada. Impor ulang berkas yang sama: tidak ada yang tersimpan dua kali."
        ),
        "stopped": gettext_noop(
            "impor peserta dihentikan karena worker dimatikan; baris yang sudah tersimpan "
            "tetap ada. Impor ulang berkas yang sama: tidak ada yang tersimpan dua kali."
        ),
        "cancelled": gettext_noop(
            "impor peserta dibatalkan; baris yang sudah tersimpan tetap ada. Impor ulang "
            "berkas yang sama: tidak ada yang tersimpan dua kali."
        ),
        "timed_out": gettext_noop(
            "impor peserta dihentikan karena melewati batas waktu (TILIK_TASK_TIME_LIMIT); "
            "baris yang sudah tersimpan tetap ada."
        ),
        "crashed": gettext_noop(
            "impor peserta berhenti mendadak (misalnya kehabisan memori); baris yang sudah "
            "tersimpan tetap ada. Rinciannya ada di log server."
        ),
    }

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="participant_imports"
    )
    file_name = models.CharField(_("berkas"), max_length=255)
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField(_("berkas"), default=b"")
    program = models.ForeignKey(
        Program,
        verbose_name=_("program bawaan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    angkatan = models.CharField(_("angkatan bawaan"), max_length=100, blank=True)
    rows_read = models.PositiveIntegerField(_("baris dibaca"), default=0)
    stored = models.PositiveIntegerField(_("disimpan"), default=0)
    already_stored = models.PositiveIntegerField(_("sudah ada"), default=0)
    quarantined = models.PositiveIntegerField(_("ditahan"), default=0)
    fixed_earlier = models.PositiveIntegerField(_("sudah ditangani sebelumnya"), default=0)
    progress = models.PositiveIntegerField(_("baris diproses"), default=0)
    problems = models.JSONField(_("masalah berkas"), default=list, blank=True)
    columns = models.JSONField(_("kolom yang dikenali"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("waktu impor"), auto_now_add=True)

    class Meta:
        verbose_name = _("impor peserta")
        verbose_name_plural = _("impor peserta")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name

    def message_fields(self, message: dict[str, str]) -> dict:
        return {"problems": [*self.problems, message], "data": b""}

    @property
    def accounted(self) -> int:
        """Rows read, as the counts add up: stored + already there + held + handled before."""
        return self.stored + self.already_stored + self.quarantined + self.fixed_earlier


class HeldParticipant(models.Model):
    """A participant row that could not be stored as it was, with its problems; fixable."""

    class Status(models.TextChoices):
        OPEN = "open", _("Perlu diperbaiki")
        RESOLVED = "resolved", _("Sudah disimpan")
        DISCARDED = "discarded", _("Dibuang oleh evaluator")

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="held_participants"
    )
    batch = models.ForeignKey(
        ParticipantImport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="held_rows",
    )
    file_name = models.CharField(_("berkas"), max_length=255, blank=True)
    row = models.PositiveIntegerField(_("baris"), null=True, blank=True)
    raw = models.JSONField(_("baris asli"))
    raw_hash = models.CharField(max_length=64)
    problems = models.JSONField(_("masalah"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("baris peserta ditahan")
        verbose_name_plural = _("baris peserta ditahan")
        ordering = ["evaluation", "file_name", "row"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "raw_hash"], name="held_participant_once")
        ]

    def __str__(self) -> str:
        return f"{self.file_name}:{self.row}"
