"""What the workspace stores: assessments (a year, its catalog, its deadline), units, who may do
what, each unit's self-assessment as the same raw evidence a YAML file holds, uploaded files,
appraisal entries, the units' giải trình, and the audit log. Scores are never stored: they are
computed by the library from these, so the web and `cchc score` cannot disagree."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from evidence.rounds import ROUND_LABELS, SCORED_ROUNDS

ROLES = [("admin", "Quản trị (Sở Y tế)"), ("unit", "Đơn vị"), ("inspector", "Thành viên đoàn thẩm định")]
APPRAISAL_ROUNDS = [(r, ROUND_LABELS[r]) for r in SCORED_ROUNDS]  # the library's, as Django choices


class Assessment(models.Model):
    """One year's assessment (đợt đánh giá): its catalog and the deadline for self-assessments."""

    year = models.PositiveIntegerField("năm đánh giá", unique=True)
    catalog = models.CharField(
        "bộ tiêu chí", max_length=200, default="syt-2026", help_text="Mã bộ tiêu chí hoặc đường dẫn tệp YAML"
    )
    deadline = models.DateTimeField("hạn nộp", null=True, blank=True, help_text="Hạn nộp tự đánh giá (dd/mm/yyyy)")
    sample = models.JSONField("mẫu kiểm tra", default=dict, blank=True, help_text="Mẫu kiểm tra đã rút (seed, đơn vị)")
    survey = models.JSONField(
        "điều tra xã hội học", default=dict, blank=True, help_text="Kết quả điều tra xã hội học đã kiểm tra"
    )
    updated_at = models.DateTimeField(auto_now=True)  # scores computed before a change are not reused

    class Meta:
        ordering = ["-year"]
        verbose_name, verbose_name_plural = "đợt đánh giá", "đợt đánh giá"

    def __str__(self) -> str:
        return f"Năm {self.year} ({self.catalog})"

    def clean(self) -> None:
        """The catalog must score this year (an admin-site edit or a new year is checked here)."""
        from django.core.exceptions import ValidationError

        from rules.errors import InputError
        from rules.load import load_catalog

        try:
            load_catalog(self.catalog, self.year)
        except InputError as e:
            raise ValidationError({"catalog": "; ".join(p.message for p in e.problems)}) from None

    @property
    def past_deadline(self) -> bool:
        return self.deadline is not None and timezone.now() > self.deadline


class Unit(models.Model):
    code = models.SlugField("mã đơn vị", max_length=64, unique=True)
    name = models.CharField("tên đơn vị", max_length=200)
    unit_type = models.CharField("loại đơn vị", max_length=64)
    parent = models.CharField("đơn vị chủ quản", max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)  # a type changed in the admin site changes its score

    class Meta:
        ordering = ["code"]
        verbose_name, verbose_name_plural = "đơn vị", "đơn vị"

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """A person's role, and for a unit account its unit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name="tài khoản"
    )
    role = models.CharField("vai trò", max_length=16, choices=ROLES)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, verbose_name="đơn vị")

    class Meta:
        verbose_name, verbose_name_plural = "vai trò tài khoản", "vai trò tài khoản"

    def __str__(self) -> str:
        return f"{self.user.username} ({self.get_role_display()})"


class Assignment(models.Model):
    """An inspector assigned to appraise a unit in an assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, verbose_name="đợt đánh giá")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name="thành viên đoàn")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, verbose_name="đơn vị")

    class Meta:
        unique_together = [("assessment", "inspector", "unit")]
        verbose_name, verbose_name_plural = "phân công thẩm định", "phân công thẩm định"


class Submission(models.Model):
    """A unit's self-assessment: evidence, manual scores and declared N/A, in the YAML file's shape."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE)
    evidence = models.JSONField(default=dict, blank=True)
    manual = models.JSONField(default=dict, blank=True)
    not_applicable = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Raised by every change: a form saved is refused when it was opened on an older version.
    version = models.PositiveIntegerField(default=0)

    class Meta:
        unique_together = [("assessment", "unit")]
        verbose_name, verbose_name_plural = "hồ sơ tự đánh giá", "hồ sơ tự đánh giá"

    def __str__(self) -> str:
        return f"{self.unit} — {self.assessment.year}"

    @property
    def locked(self) -> bool:
        """Submitted, or past the deadline: the self-assessment no longer changes (the admin may reopen)."""
        return self.submitted_at is not None or self.assessment.past_deadline

    def raw(self) -> dict:
        """The unit's evidence as an evidence file holds it."""
        unit = {"id": self.unit.code, "name": self.unit.name, "type": self.unit.unit_type, "year": self.assessment.year}
        if self.unit.parent:
            unit["parent"] = self.unit.parent
        return {"unit": unit, "evidence": self.evidence, "manual": self.manual, "not_applicable": self.not_applicable}


class Attachment(models.Model):
    """A file attached to one evidence field; its bytes live in the data folder under their SHA-256."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    field = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    name = models.CharField(max_length=255)  # as uploaded: shown, never used as a path
    kind = models.CharField(max_length=8)  # pdf, docx, xlsx, jpg, png: from the content
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(auto_now_add=True)


class AppraisalEntry(models.Model):
    """An inspector's score for one criterion of one unit in one round."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE)
    round = models.CharField(max_length=16, choices=APPRAISAL_ROUNDS)
    code = models.CharField(max_length=32)
    points = models.FloatField(null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    evidence = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    by_name = models.CharField(max_length=200, blank=True)  # who, as an imported record names them
    date = models.DateField(null=True, blank=True)  # the appraisal's date (a file's round date, or the day entered)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        unique_together = [("assessment", "unit", "round", "code")]
        verbose_name, verbose_name_plural = "điểm thẩm định", "điểm thẩm định"


class ExplanationNote(models.Model):
    """The unit's giải trình on an appraisal finding, with the evidence it adds."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE)
    code = models.CharField(max_length=32)
    text = models.TextField()
    evidence = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    by_name = models.CharField(max_length=200, blank=True)
    date = models.DateField(null=True, blank=True)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        unique_together = [("assessment", "unit", "code")]
        verbose_name, verbose_name_plural = "giải trình", "giải trình"


class AuditEvent(models.Model):
    """Who changed what, when, from which value to which. Written by the workspace, read-only in admin."""

    at = models.DateTimeField("thời điểm", default=timezone.now, db_index=True)
    user = models.CharField("người thực hiện", max_length=150)
    action = models.CharField("thao tác", max_length=64)
    target = models.CharField("đối tượng", max_length=255)
    old = models.TextField("giá trị cũ", blank=True)
    new = models.TextField("giá trị mới", blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name, verbose_name_plural = "nhật ký thay đổi", "nhật ký thay đổi"


class LoginFailure(models.Model):
    """A failed login, by normalised user name and client address: the throttle counts these."""

    username = models.CharField(max_length=150)
    address = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["address", "username", "at"])]


class Publication(models.Model):
    """An appraisal round of a unit made visible to the unit (công bố): until then the unit sees
    its self-score only. Rounds imported from appraisal files count as published."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, verbose_name="đơn vị")
    round = models.CharField("vòng", max_length=16, choices=APPRAISAL_ROUNDS)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField("thời điểm", default=timezone.now)

    class Meta:
        unique_together = [("assessment", "unit", "round")]
        verbose_name, verbose_name_plural = "công bố kết quả thẩm định", "công bố kết quả thẩm định"


class Notice(models.Model):
    """An in-app notice to a unit (new appraisal findings published, a deadline near), shown on
    its page until seen."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, verbose_name="đơn vị")
    text = models.TextField("nội dung")
    at = models.DateTimeField("thời điểm", default=timezone.now)
    seen_at = models.DateTimeField("đã xem lúc", null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name, verbose_name_plural = "thông báo", "thông báo"


class Reminder(models.Model):
    """A reminder sent by `cchc remind` (kind, to which unit, about what): never sent twice."""

    kind = models.CharField("loại", max_length=32)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, verbose_name="đơn vị")
    key = models.CharField("về", max_length=200)
    at = models.DateTimeField("thời điểm", default=timezone.now)

    class Meta:
        unique_together = [("kind", "unit", "key")]
        verbose_name, verbose_name_plural = "nhắc việc đã gửi", "nhắc việc đã gửi"


class CatalogVersion(models.Model):
    """One version of a Sở's own catalog (bộ tiêu chí): a draft being reviewed, or published as the
    catalog of a year. A published version is a file that never changes (DATA/catalogs/ID/vN.yaml);
    the year's assessment scores with it. A change after that is a new version, with its reason."""

    catalog_id = models.SlugField("mã bộ tiêu chí", max_length=100)
    number = models.PositiveIntegerField("phiên bản")
    text = models.TextField("nội dung YAML")
    source = models.CharField("nguồn", max_length=255, blank=True)  # the annex or YAML uploaded
    reason = models.TextField("lý do thay đổi", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    year = models.PositiveIntegerField("năm áp dụng", null=True, blank=True)
    path = models.CharField("tệp đã công bố", max_length=500, blank=True)

    class Meta:
        ordering = ["catalog_id", "-number"]
        unique_together = [("catalog_id", "number")]
        verbose_name, verbose_name_plural = "phiên bản bộ tiêu chí", "phiên bản bộ tiêu chí"

    def __str__(self) -> str:
        return f"{self.catalog_id} v{self.number}"

    @property
    def published(self) -> bool:
        return self.published_at is not None


class Organisation(models.Model):
    """Who issues the workspace's reports: the Sở (cơ quan chủ quản, name, symbol, place, signer,
    recipients) and each unit's own, as `cchc.toml` holds them for `cchc report`. One row."""

    settings = models.JSONField("thiết lập", default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name, verbose_name_plural = "cơ quan ban hành báo cáo", "cơ quan ban hành báo cáo"
