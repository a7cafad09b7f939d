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


ACTIONS = {
    "evidence": "Sửa tài liệu kiểm chứng",
    "submit": "Nộp hồ sơ tự đánh giá",
    "reopen": "Mở lại hồ sơ",
    "upload": "Tải tệp lên",
    "workbook": "Nhập biểu mẫu Excel",
    "explanation": "Giải trình",
    "appraisal": "Chấm thẩm định",
    "sample": "Rút mẫu kiểm tra",
    "password": "Đổi mật khẩu",
    "publish": "Công bố kết quả thẩm định",
    "new_year": "Tạo đợt đánh giá năm mới",
    "catalog_upload": "Tải lên bộ tiêu chí (phụ lục, YAML)",
    "catalog_edit": "Sửa tiêu chí",
    "catalog_version": "Tạo phiên bản mới của bộ tiêu chí",
    "catalog_publish": "Công bố bộ tiêu chí",
    "organisation": "Sửa cơ quan ban hành báo cáo",
}
ADMIN_VERBS = {"add": "thêm", "change": "sửa", "delete": "xóa", "password": "đặt lại mật khẩu"}
DOCUMENT_WORDS = {"number": "số", "date": "ngày", "file": "tệp", "issuer": "cơ quan ban hành", "title": "trích yếu"}


def action_words(action: str) -> str:
    """An audit action in words: "evidence" → "Sửa tài liệu kiểm chứng", "admin:unit:change" →
    "Trang quản trị: sửa đơn vị"."""
    if action.startswith("admin:"):
        _, model, verb = (action.split(":") + ["", ""])[:3]
        from django.apps import apps

        try:
            name = apps.get_model("web", model)._meta.verbose_name
        except LookupError:
            name = {"user": "tài khoản"}.get(model, model)
        return f"Trang quản trị: {ADMIN_VERBS.get(verb, verb)} {name}"
    return ACTIONS.get(action, action)


def value_words(text: str) -> str:
    """A logged value in words: a document as "số 05/KH-BV, ngày 20/12/2025", a record as
    "điểm: 1; lý do: …", an empty value as "(trống)"."""
    if not text:
        return "(trống)"
    if not text.startswith(("{", "[")):  # values are logged as typed; records and lists as JSON
        return text
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return _words(value) or "(trống)"


def target_words(action: str, target: str) -> str:
    """What was changed, with an evidence field's Vietnamese name instead of its key."""
    if action not in ("evidence", "upload"):
        return target
    from web import services
    from web.models import Assessment

    unit, _, field = target.partition("/")
    assessment = Assessment.objects.first()
    spec = services.catalog(assessment).fields.get(field) if assessment else None
    return f"{unit}: {spec.label}" if spec else target


def _words(value: object) -> str:
    if isinstance(value, dict):
        parts = []
        order = list(DOCUMENT_WORDS)  # a document's number before its date, as it is cited
        for key, item in sorted(value.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)):
            words = _words(item)
            if words:
                parts.append(f"{DOCUMENT_WORDS.get(key, key)} {words}" if key in DOCUMENT_WORDS else f"{key}: {words}")
        return "; ".join(parts)
    if isinstance(value, list):
        return ", ".join(_words(v) for v in value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    return str(value)
