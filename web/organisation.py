"""Who issues the workspace's reports (the Sở's name, symbol, place, signer, recipients): edited by
the Sở admin, used by every report the workspace writes, as `cchc.toml` is for `cchc report`."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from pydantic import ValidationError

from scoring.outputs.org import Issuer, OrgSettings, Signer
from web.audit import audit
from web.models import Organisation
from web.views import _admin_only

FIELDS = [
    ("parent", "Cơ quan chủ quản (in hoa)", "UBND TỈNH AN BÌNH"),
    ("name", "Tên cơ quan (in hoa)", "SỞ Y TẾ"),
    ("short", "Tên trong câu văn", "Sở Y tế"),
    ("symbol", "Chữ viết tắt (ký hiệu văn bản)", "SYT"),
    ("place", "Địa danh", "An Bình"),
]
SIGNER = [
    ("authority", "Thẩm quyền ký", "KT. GIÁM ĐỐC"),
    ("title", "Chức vụ", "PHÓ GIÁM ĐỐC"),
    ("name", "Họ và tên", ""),
]


def organisation(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    row = Organisation.objects.first() or Organisation()
    current = OrgSettings.model_validate(row.settings)
    if request.method == "POST":
        typed = {key: request.POST.get(key, "").strip() for key, _, _ in FIELDS}
        signer = {key: request.POST.get(f"signer_{key}", "").strip() for key, _, _ in SIGNER}
        recipients = [line.strip() for line in request.POST.get("recipients", "").splitlines() if line.strip()]
        try:
            issuer = Issuer(**typed, signer=Signer(**signer), recipients=recipients)
        except ValidationError as e:
            messages.error(request, f"Chưa lưu: {e.errors()[0]['msg']}")
        else:
            old = row.settings
            row.settings = current.model_copy(update={"so": issuer}).model_dump(mode="json", exclude_defaults=True)
            row.save()
            audit(request, "organisation", "so", old, row.settings)
            messages.success(request, "Đã lưu thông tin cơ quan ban hành báo cáo.")
            return redirect("organisation")
    so = current.so
    context = {
        "fields": [(k, label, hint, getattr(so, k)) for k, label, hint in FIELDS],
        "signer": [(k, label, hint, getattr(so.signer, k)) for k, label, hint in SIGNER],
        "recipients": "\n".join(so.recipients),
    }
    return render(request, "web/organisation.html", context)
