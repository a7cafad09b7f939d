"""`cchc remind`: what the Sở's officers and the units must be told, sent once each, by e-mail
(Django's e-mail backend: SMTP from the data folder's config.toml, else files in its outbox) and
as notices on the unit's page. Run it from cron, a systemd timer or Windows Task Scheduler: it is
idempotent, so running it every hour sends each reminder once."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from web.models import (
    APPRAISAL_ROUNDS,
    Assessment,
    AuditEvent,
    ExplanationNote,
    Notice,
    Publication,
    Reminder,
    Submission,
    Unit,
)

log = logging.getLogger("cchc.remind")


@dataclass
class Sent:
    notices: int = 0
    emails: int = 0
    lines: list[str] = field(default_factory=list)


def remind(now: dt.datetime | None = None) -> Sent:
    """Send what is due now; what was sent before is not sent again."""
    now = now or timezone.now()
    sent = Sent()
    assessment = Assessment.objects.first()
    if assessment is None:
        return sent
    if assessment.deadline is not None:
        _deadline(assessment, now, sent)
    _published(assessment, sent)
    _explanations(assessment, sent)
    for line in sent.lines:
        log.info(line)
    if sent.lines:
        AuditEvent.objects.create(
            user="cchc remind", action="remind", target=str(assessment.year), new="\n".join(sent.lines)
        )
    return sent


def _once(kind: str, unit: Unit | None, key: str) -> bool:
    """True the first time (kind, unit, key) is asked: the reminder is then recorded as sent."""
    _, created = Reminder.objects.get_or_create(kind=kind, unit=unit, key=key)
    return created


def _emails(users) -> list[str]:
    return sorted({u.email for u in users if u.email and u.is_active})


def _unit_users(unit: Unit):
    return User.objects.filter(profile__unit=unit, profile__role="unit")


def _admins():
    return User.objects.filter(is_superuser=True) | User.objects.filter(profile__role="admin")


def _send(sent: Sent, subject: str, body: str, to: list[str]) -> None:
    if to:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
        sent.emails += len(to)


def _notice(sent: Sent, unit: Unit, text: str) -> None:
    Notice.objects.create(unit=unit, text=text)
    sent.notices += 1


def _deadline(assessment: Assessment, now: dt.datetime, sent: Sent) -> None:
    deadline = assessment.deadline
    assert deadline is not None
    due = timezone.localtime(deadline).strftime("%d/%m/%Y %H:%M")
    submitted = set(
        Submission.objects.filter(assessment=assessment, submitted_at__isnull=False).values_list("unit_id", flat=True)
    )
    waiting = [u for u in Unit.objects.all() if u.pk not in submitted]
    if now < deadline <= now + dt.timedelta(days=settings.REMIND_DAYS_BEFORE):
        for unit in waiting:
            with transaction.atomic():
                if not _once("deadline_near", unit, deadline.isoformat()):
                    continue
                text = f"Sắp hết hạn nộp hồ sơ tự đánh giá CCHC năm {assessment.year}: {due}. Đơn vị chưa nộp."
                _notice(sent, unit, text)
                _send(sent, f"[CCHC {assessment.year}] Sắp hết hạn nộp tự đánh giá", text, _emails(_unit_users(unit)))
                sent.lines.append(f"nhắc hạn: {unit.code}")
    if deadline <= now and waiting:
        late = [u for u in waiting if _once("overdue", u, deadline.isoformat())]
        for unit in late:
            text = f"Đã quá hạn nộp hồ sơ tự đánh giá CCHC năm {assessment.year} ({due}); đơn vị chưa nộp."
            _notice(sent, unit, text)
        if late:
            names = "\n".join(f"- {u.name} ({u.code})" for u in late)
            body = f"Đến hạn {due}, các đơn vị sau chưa nộp hồ sơ tự đánh giá CCHC năm {assessment.year}:\n{names}\n"
            _send(sent, f"[CCHC {assessment.year}] Đơn vị quá hạn nộp", body, _emails(_admins()))
            sent.lines.append("quá hạn: " + ", ".join(u.code for u in late))


def _published(assessment: Assessment, sent: Sent) -> None:
    """The notice is written when a round is published; the e-mail follows here, once."""
    labels = dict(APPRAISAL_ROUNDS)
    for pub in Publication.objects.filter(assessment=assessment).select_related("unit"):
        if pub.by_id is None or not _once("published", pub.unit, pub.round):
            continue  # rounds imported from files were communicated already
        body = (
            f"Đoàn thẩm định đã công bố kết quả {labels[pub.round].lower()} năm {assessment.year} của "
            f"{pub.unit.name}. Đăng nhập để xem bảng điểm và giải trình nếu cần."
        )
        _send(sent, f"[CCHC {assessment.year}] Đã công bố kết quả thẩm định", body, _emails(_unit_users(pub.unit)))
        sent.lines.append(f"công bố: {pub.unit.code} {pub.round}")


def _explanations(assessment: Assessment, sent: Sent) -> None:
    """A new or changed giải trình: its inspectors and the Sở are told."""
    for note in ExplanationNote.objects.filter(assessment=assessment).select_related("unit"):
        if not _once("explanation", note.unit, f"{note.code}@{note.at.isoformat()}"):
            continue
        inspectors = User.objects.filter(assignment__assessment=assessment, assignment__unit=note.unit)
        body = f"{note.unit.name} giải trình tiêu chí {note.code}:\n{note.text}\n"
        _send(
            sent,
            f"[CCHC {assessment.year}] Giải trình mới của {note.unit.name}",
            body,
            _emails(list(inspectors) + list(_admins())),
        )
        sent.lines.append(f"giải trình: {note.unit.code} {note.code}")
