"""The data folder from the command line: open it (migrating the database), add accounts, import
evidence, appraisals and surveys, export everything back as files `cchc score` reads."""

from __future__ import annotations

import os
from pathlib import Path


def open_store(data: Path) -> None:
    """Point Django at the data folder and bring its database up to date."""
    os.environ["CCHC_DATA"] = str(data)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and Path(database["NAME"]).is_file():
        Path(database["NAME"]).chmod(0o600)  # SQLite gives its journal files the database's mode


def add_user(name: str, role: str, password: str, unit_code: str | None = None, full_name: str = "") -> None:
    from django.contrib.auth.models import User

    from rules.errors import InputError
    from web.accounts import check_password, checked_username
    from web.models import Profile, Unit

    unit = None
    if role == "unit":
        unit = Unit.objects.filter(code=unit_code or "").first()
        if unit is None:
            raise InputError(f"tài khoản đơn vị cần --unit là mã một đơn vị đã nhập (không có '{unit_code}')")
    name = checked_username(name)
    user = User.objects.filter(username=name).first() or User(username=name)
    user.first_name = full_name
    check_password(password, user)
    user.set_password(password)
    user.is_staff = user.is_superuser = role == "admin"  # the Sở admin also uses Django's admin site
    user.save()
    Profile.objects.update_or_create(user=user, defaults={"role": role, "unit": unit})


def assessment_for(year: int, catalog: str = "syt-2026"):
    from web.models import Assessment

    assessment, _ = Assessment.objects.get_or_create(year=year, defaults={"catalog": catalog})
    return assessment


def import_paths(
    paths: list[Path], catalog_name: str, appraisals: Path | None = None, survey: Path | None = None
) -> tuple[int, int]:
    """Evidence (any format `cchc score` reads) into units and self-assessments; then appraisal records
    and the survey. All or nothing: a bad file stores nothing. Returns (units, appraisal records)."""
    from django.db import transaction

    from evidence.appraisal import load_appraisals
    from evidence.loaders import first_year
    from evidence.raw import raw_evidence
    from evidence.survey import load_survey
    from rules.load import load_catalog
    from scoring import load_evidence
    from web.forms import form_text
    from web.models import APPRAISAL_ROUNDS, AppraisalEntry, ExplanationNote, Publication, Submission, Unit

    found = first_year(paths)
    catalog = load_catalog(catalog_name, found[0] if found else None)
    checked_survey = load_survey(survey, catalog) if survey else None
    units = load_evidence(paths, catalog).all_or_error()
    records = load_appraisals(appraisals, catalog, {u.unit.id: u.unit.type for u in units}) if appraisals else []
    with transaction.atomic():
        assessment = assessment_for(catalog.year, catalog_name)
        if checked_survey is not None:
            assessment.survey = checked_survey
            assessment.save()
        by_code = {}
        for u in units:
            unit, _ = Unit.objects.update_or_create(
                code=u.unit.id, defaults={"name": u.unit.name, "unit_type": u.unit.type, "parent": u.unit.parent or ""}
            )
            by_code[unit.code] = unit
            raw = raw_evidence(u)
            Submission.objects.update_or_create(
                assessment=assessment,
                unit=unit,
                defaults={
                    "evidence": {name: form_text(v) for name, v in raw["evidence"].items()},
                    "manual": raw.get("manual", {}),
                    "not_applicable": raw.get("not_applicable", {}),
                },
            )
        for record in records:
            unit = by_code[record.unit_id]
            for rnd in record.rounds:
                for code, s in rnd.scores.items():
                    AppraisalEntry.objects.update_or_create(
                        assessment=assessment,
                        unit=unit,
                        round=rnd.round,
                        code=code,
                        defaults={
                            "points": s.points,
                            "not_applicable": s.status == "not_applicable",
                            "reason": s.reason,
                            "evidence": s.evidence,
                            "by_name": rnd.by,
                            "date": rnd.date,
                        },
                    )
                if rnd.round in dict(APPRAISAL_ROUNDS):  # results already communicated: visible to the unit
                    Publication.objects.get_or_create(assessment=assessment, unit=unit, round=rnd.round)
                for code, note in rnd.notes.items():
                    ExplanationNote.objects.update_or_create(
                        assessment=assessment,
                        unit=unit,
                        code=code,
                        defaults={"text": note.text, "evidence": note.evidence, "by_name": rnd.by, "date": rnd.date},
                    )
    return len(units), len(records)


def export(out: Path, year: int | None = None) -> list[Path]:
    """The year's catalog (catalog.yaml), every unit's self-assessment as an evidence YAML file, the
    appraisals as appraisal files and the survey, so that `cchc score`/`cchc report` on them give
    exactly the workspace's scores."""
    from rules.yamlio import dump_yaml
    from scoring.outputs.writing import atomic_write
    from web import services
    from web.models import Assessment, Submission

    assessment = Assessment.objects.get(year=year) if year else Assessment.objects.first()
    if assessment is None:
        from rules.errors import InputError

        raise InputError("kho dữ liệu chưa có đợt đánh giá nào")
    written = []

    def save(path: Path, data: dict) -> None:
        atomic_write(path, dump_yaml(data))
        written.append(path)

    from rules.load import resolve

    catalog = resolve(assessment.catalog)  # the bundled file, or the Sở's published version
    atomic_write(out / "catalog.yaml", catalog.read_text(encoding="utf-8"))
    written.append(out / "catalog.yaml")
    for sub in Submission.objects.filter(assessment=assessment).select_related("unit", "assessment"):
        save(out / "evidence" / f"{sub.unit.code}.yaml", sub.raw())
    scored = services.score(assessment)
    for record in services.appraisal_records(assessment, scored.catalog, scored.run.types_by_unit):
        save(out / "appraisals" / f"{record.unit_id}.yaml", services.appraisal_file(record))
    if assessment.survey:
        results = [
            {"unit_id": unit, "question": q, **answers}
            for unit, questions in assessment.survey.items()
            for q, answers in questions.items()
        ]
        save(
            out / "survey.yaml", {"survey": {"title": f"Điều tra xã hội học năm {assessment.year}"}, "results": results}
        )
    return written
