"""The audit log: who changed what, from which value to which. Written in the transaction that
stores the change, from the values actually stored, by the workspace's pages and the admin site."""

from __future__ import annotations

import json

from django.http import HttpRequest

from web.models import AuditEvent


def audit(request: HttpRequest, action: str, target: str, old: object = "", new: object = "") -> None:
    def text(v: object) -> str:
        return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True, default=str)

    AuditEvent.objects.create(
        user=request.user.get_username(), action=action, target=target, old=text(old), new=text(new)
    )
