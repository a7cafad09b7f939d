"""The Sở's own catalog in the workspace: annex uploaded, draft reviewed in the tree, criteria
edited, published as a year's catalog (versioned, frozen once units save evidence, a change needs a
reason and shows its diff), scored, and exported so that `cchc score` gives the web's scores."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from django.test import Client

from cli import main
from rules.annex.draft import nodes
from tests.annex.build import write_docx
from tests.workspace.conftest import login
from web import services
from web.models import Assessment, CatalogVersion, Submission, Unit


def upload(client, path: Path, year: str = ""):
    with path.open("rb") as f:
        return client.post("/so/bo-tieu-chi/tai-len/", {"file": f, "year": year})


def leaf_form(node: dict) -> dict:
    """The editor's form as a person submits it after checking a criterion."""
    reference = node.get("reference") or {}
    form = {"title": node["title"], "max_points": str(node["max_points"]).replace(".", ","), "reviewed": "on"}
    if "kind" in node:
        form |= {
            "kind": node["kind"],
            "params": yaml.safe_dump(node.get("params") or {}, allow_unicode=True),
            "applies_to": ["all"],
            "fix": node.get("fix", ""),
            **{f"reference_{k}": reference.get(k, "") for k in ("document", "provision", "target", "note")},
        }
    return form


@pytest.fixture()
def admin(workspace, settings, tmp_path):
    settings.DATA = tmp_path / "data"
    return login(Client(), "so-admin")


def review_everything(admin, version: CatalogVersion) -> None:
    data = yaml.safe_load(version.text)
    for node in nodes(data):
        response = admin.post(f"/so/bo-tieu-chi/{version.pk}/sua/{node['code']}/", leaf_form(node))
        assert response.status_code == 302, response.content.decode()[:500]
    settings_form = {k: yaml.safe_dump(data[k], allow_unicode=True) for k in ("unit_types", "bands", "years")}
    settings_form |= {"title": data["title"], "decision": yaml.safe_dump(data["decision"]), "reviewed": "on"}
    assert admin.post(f"/so/bo-tieu-chi/{version.pk}/chung/", settings_form).status_code == 302


def test_only_the_admin_manages_catalogs(workspace):
    unit = login(Client(), "bv-dktinh")
    assert unit.get("/so/bo-tieu-chi/").status_code == 403


def test_annex_to_draft_to_published_to_scored_to_exported(admin, tmp_path):
    response = upload(admin, write_docx(tmp_path / "phu-luc-2027.docx"))
    version = CatalogVersion.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/so/bo-tieu-chi/{version.pk}/"
    page = admin.get(response["Location"]).content.decode()
    # 8 leaves to review, 2 catalog-wide decisions, the deadline's year to confirm.
    assert "Còn 11 việc cần quyết định" in page
    assert 'data-code="I.1.1"' in page and "thời hạn 31/12: đọc là năm trước" in page
    assert "Quyết định số 15/QĐ-SYT ngày 10/01/2025" in page
    refused = admin.post(f"/so/bo-tieu-chi/{version.pk}/cong-bo/", {"year": "2025"}, follow=True)
    assert "Chưa công bố được: còn" in refused.content.decode()
    assert not Assessment.objects.filter(year=2025).exists()

    # A wrong value is refused in words and nothing is saved.
    bad = admin.post(f"/so/bo-tieu-chi/{version.pk}/sua/I.1.2/", {**leaf_form({"title": "x", "max_points": "hai"})})
    assert "điểm tối đa phải là một số" in bad.content.decode()

    review_everything(admin, version)
    version.refresh_from_db()
    assert not re.search(r"^\s*review: true", version.text, re.MULTILINE)
    page = admin.get(f"/so/bo-tieu-chi/{version.pk}/").content.decode()
    assert "Không còn vấn đề: bộ tiêu chí chấm điểm được" in page
    response = admin.post(f"/so/bo-tieu-chi/{version.pk}/cong-bo/", {"year": "2025"})
    version.refresh_from_db()
    assert version.published and version.year == 2025 and version.published_by.username == "so-admin"
    assessment = Assessment.objects.get(year=2025)
    assert assessment.catalog == version.path and Path(version.path).read_text(encoding="utf-8") == version.text
    assert yaml.safe_load(version.text)["version"] == "2025.1"

    # A unit scores against the Sở's own criteria (hand-computed: 0,5 + 2 + 1 + 1 + 2 − 0,5 = 6 of 9).
    data = yaml.safe_load(version.text)
    params = {n["code"]: n.get("params", {}) for n in nodes(data) if "kind" in n}
    evidence = {
        params["I.1.1"]["field"]: {"number": "1850/KH-BVĐK", "date": "15/01/2025"},
        params["I.1.2"]["numerator"]: 19,
        params["I.1.2"]["denominator"]: 20,
        params["I.2"]["field"]: True,
        params["I.3.a"]["field"]: "hoan_thanh_mot_phan",
        params["II.1"]["numerator"]: 99,
        params["II.1"]["denominator"]: 100,
        params["II.2"]["field"]: 2,
    }
    Submission.objects.create(assessment=assessment, unit=Unit.objects.get(code="bv-dktinh"), evidence=evidence)
    scored = services.score(assessment)
    unit = next(u for u in scored.run.units if u.unit_id == "bv-dktinh")
    assert (unit.points, unit.max_points) == (6.0, 9.0)
    assert "Quyết định số 15/QĐ-SYT ngày 10/01/2025 của Giám đốc Sở Y tế (tiêu chí I.1.1)" in next(
        c.explanation for c in unit.criteria if c.code == "I.1.1"
    )

    from web.store import export

    export(tmp_path / "ra", 2025)
    result = CliRunner().invoke(
        main,
        ["score", str(tmp_path / "ra" / "evidence"), "--catalog", str(tmp_path / "ra" / "catalog.yaml"), "--format",
         "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    exported = {u["unit_id"]: u for u in json.loads(result.stdout)["units"]}
    assert (exported["bv-dktinh"]["points"], exported["bv-dktinh"]["max_points"]) == (6.0, 9.0)

    # Frozen: units have saved evidence; a change is a new version, published only with a reason.
    page = admin.get("/so/bo-tieu-chi/").content.decode()
    assert "đã khóa" in page
    response = admin.post(f"/so/bo-tieu-chi/{version.pk}/phien-ban-moi/")
    second = CatalogVersion.objects.get(number=2)
    node = next(n for n in nodes(yaml.safe_load(second.text)) if n["code"] == "II.1")
    changed = leaf_form(node) | {
        "params": leaf_form(node)["params"].replace("gte: 100", "gte: 98").replace("lt: 100", "lt: 98")
    }
    assert admin.post(f"/so/bo-tieu-chi/{second.pk}/sua/II.1/", changed).status_code == 302
    refused = admin.post(f"/so/bo-tieu-chi/{second.pk}/cong-bo/", {"year": "2025"}, follow=True)
    assert "ghi lý do thay đổi" in refused.content.decode()
    page = admin.get(f"/so/bo-tieu-chi/{second.pk}/").content.decode()
    assert "Thay đổi so với phiên bản 1" in page and "II.1" in page.split('id="diff"')[1]
    admin.post(f"/so/bo-tieu-chi/{second.pk}/cong-bo/", {"year": "2025", "reason": "Sửa mức 100 % thành 98 %"})
    second.refresh_from_db()
    assessment.refresh_from_db()
    assert second.published and assessment.catalog == second.path and version.path != second.path
    assert Path(version.path).exists()  # the old version's file is kept: what was scored with it stays readable
    unit = next(u for u in services.score(assessment).run.units if u.unit_id == "bv-dktinh")
    assert unit.points == 7.0  # 99 % now reaches the top tier: 3 instead of 2


def test_a_published_version_is_never_edited(admin, tmp_path):
    upload(admin, write_docx(tmp_path / "phu-luc.docx"))
    version = CatalogVersion.objects.get()
    review_everything(admin, version)
    admin.post(f"/so/bo-tieu-chi/{version.pk}/cong-bo/", {"year": "2025"})
    version.refresh_from_db()
    before = version.text
    node = next(n for n in nodes(yaml.safe_load(before)) if n["code"] == "I.2")
    response = admin.post(f"/so/bo-tieu-chi/{version.pk}/sua/I.2/", leaf_form(node) | {"title": "Đổi tên"}, follow=True)
    assert "Phiên bản đã công bố không sửa được" in response.content.decode()
    version.refresh_from_db()
    assert version.text == before


def test_an_unreadable_upload_is_said(admin, tmp_path):
    path = tmp_path / "hong.docx"
    path.write_bytes(b"not a zip")
    response = upload(admin, path)
    page = admin.get(response["Location"]).content.decode()
    assert "Không đọc được tệp" in page and "tệp hỏng hoặc không đúng định dạng .docx" in page
    assert not CatalogVersion.objects.exists()


def test_the_organisation_set_in_the_workspace_signs_its_reports(admin):
    form = {"parent": "UBND TỈNH AN BÌNH", "name": "SỞ Y TẾ", "short": "Sở Y tế", "symbol": "SYT", "place": "An Bình",
            "signer_authority": "KT. GIÁM ĐỐC", "signer_title": "PHÓ GIÁM ĐỐC", "signer_name": "Nguyễn Văn A",
            "recipients": "UBND tỉnh (để báo cáo)\nLưu: VT, TCHC"}  # fmt: skip
    assert admin.post("/so/co-quan/", form).status_code == 302
    book = services.score(Assessment.objects.get(year=2026)).book()
    so = book.org.summary_issuer()
    assert (so.parent, so.place, so.signer.name, so.recipients) == (
        "UBND TỈNH AN BÌNH", "An Bình", "Nguyễn Văn A", ["UBND tỉnh (để báo cáo)", "Lưu: VT, TCHC"]
    )  # fmt: skip
    page = admin.get("/so/co-quan/").content.decode()
    assert 'value="Nguyễn Văn A"' in page
    assert login(Client(), "bv-dktinh").get("/so/co-quan/").status_code == 403
