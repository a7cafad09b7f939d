"""A broken catalog is refused with a message naming file, line and what is wrong."""

import re

import pytest
import yaml

from rules.checks import coverage
from rules.errors import InputError
from rules.load import load_catalog
from rules.spec import Interval
from tests.helpers import ALL_KINDS


def broken(tmp_path, edit):
    data = yaml.safe_load(ALL_KINDS.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_catalog(path)
    return str(info.value)


def leaf(data, code):
    def walk(nodes):
        for n in nodes:
            if n["code"] == code:
                return n
            found = walk(n.get("children", []))
            if found:
                return found

    return walk(data["areas"])


def test_band_gap_is_refused(tmp_path):
    def edit(d):
        leaf(d, "1.3")["params"]["bands"][1] = {"gte": 75, "lte": 90, "points": 1}

    message = broken(tmp_path, edit)
    assert "1.3: các khoảng tỷ lệ: hở tại" in message
    assert re.search(r"broken\.yaml, dòng \d+", message)


def test_overlapping_tiers_are_refused(tmp_path):
    def edit(d):
        leaf(d, "1.3")["params"]["bands"][0] = {"gte": 90, "points": 2}

    assert "chồng lấn tại 90 %" in broken(tmp_path, edit)


def test_grade_bands_gap_is_refused(tmp_path):
    def edit(d):
        d["bands"][1] = {"name": "Khá", "gte": 80, "lt": 89}

    assert "xếp loại: hở tại 89" in broken(tmp_path, edit)


def test_wrong_maximum_is_refused(tmp_path):
    def edit(d):
        leaf(d, "1.1")["max_points"] = 2

    message = broken(tmp_path, edit)
    assert "1: tổng điểm tối đa các tiêu chí con là 9, khác 8" in message


def test_catalog_total_must_match_areas(tmp_path):
    def edit(d):
        d["max_points"] = 100

    assert "tổng điểm tối đa các lĩnh vực là 20, khác max_points = 100" in broken(tmp_path, edit)


def test_unknown_kind_is_refused_with_its_line(tmp_path):
    def edit(d):
        leaf(d, "2.1")["kind"] = "magic"

    message = broken(tmp_path, edit)
    assert "loại quy tắc (kind) không hợp lệ" in message and "threshold" in message
    assert re.search(r"dòng \d+ \[areas\.1\.children\.0\]", message)


def test_unknown_parameter_is_named(tmp_path):
    def edit(d):
        leaf(d, "2.1")["params"]["minimum"] = 3

    assert "params.minimum" in broken(tmp_path, edit)


def test_duplicate_code_is_refused(tmp_path):
    def edit(d):
        leaf(d, "1.2")["code"] = "1.1"

    assert "mã '1.1' bị trùng" in broken(tmp_path, edit)


def test_unknown_evidence_field(tmp_path):
    def edit(d):
        leaf(d, "2.3")["params"]["field"] = "iso_typo"

    assert "2.3: trường tài liệu kiểm chứng 'iso_typo' chưa khai báo" in broken(tmp_path, edit)


def test_missing_reference(tmp_path):
    def edit(d):
        del leaf(d, "2.2")["reference"]

    assert "children.1.proportional.reference]: thiếu trường bắt buộc" in broken(tmp_path, edit)


def test_explanation_template_with_unknown_variable(tmp_path):
    def edit(d):
        leaf(d, "2.1")["explain"] = {"pass": "Đạt ${nonsense}"}

    assert "biến không có: nonsense" in broken(tmp_path, edit)


def test_python_tag_is_refused(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text("id: !!python/object/apply:os.system ['echo hacked']\n", encoding="utf-8")
    with pytest.raises(InputError, match="YAML không hợp lệ"):
        load_catalog(path)


def test_coverage_on_exact_bounds():
    assert coverage([Interval(gte=90), Interval(lt=90)], high=100) == []
    assert coverage([Interval(gt=90), Interval(lt=90)], high=100) == ["hở tại 90 % (không khoảng nào chứa)"]
    assert coverage([Interval(lte=100)], high=None)[0].startswith("hở tại")


def test_bundled_catalog_passes(syt):
    assert len(syt.leaves) >= 40
    assert sum(a.max_points for a in syt.areas) == 100
    labels = {name: spec.label for name, spec in syt.fields.items()}
    assert all(leaf.reference.document and leaf.evidence_needed(labels) for leaf in syt.leaves)
    assert {k for leaf in syt.leaves for k in [leaf.kind]} == {
        "binary",
        "on_time",
        "period_deadlines",
        "percent_bands",
        "threshold",
        "proportional",
        "graded",
        "survey",
        "deduction",
        "bonus",
        "manual",
    }
    assert set(syt.unit_types) >= {"co_quan_so", "chi_cuc", "benh_vien", "trung_tam_y_te", "don_vi_su_nghiep_khac"}


def _alternative_for_hospitals(d, **changes):
    """2.3 (ISO, Cơ quan Sở) gets an alternative for hospitals, as 8.1.2 is to 8.1.1 in syt-2026."""
    area = d["areas"][1]["children"]
    iso = leaf(d, "2.3")
    area.append({**iso, "code": "2.5", "applies_to": ["benh_vien"], "alternative_to": "2.3", **changes})


def test_an_alternative_counts_once_in_its_parent(tmp_path):
    data = yaml.safe_load(ALL_KINDS.read_text(encoding="utf-8"))
    _alternative_for_hospitals(data)
    path = tmp_path / "alt.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    catalog = load_catalog(path)  # 2 + 4 + 2 (2.3 or 2.5) + 0 = 8: the area's maximum still adds up
    assert catalog.leaf["2.5"].alternative_to == "2.3"


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"max_points": 1}, "2.5: điểm tối đa 1 khác 2.3 (2)"),
        ({"applies_to": ["benh_vien", "co_quan_so"]}, "2.5: applies_to phải tách rời với 2.3"),
        ({"applies_to": ["all"]}, "2.5: applies_to phải tách rời với 2.3"),
        ({"alternative_to": "9.9"}, "2.5: alternative_to '9.9' phải là một tiêu chí cùng cấp"),
    ],
)
def test_a_broken_alternative_is_refused(tmp_path, changes, message):
    assert message in broken(tmp_path, lambda d: _alternative_for_hospitals(d, **changes))
