"""Organisation settings (cchc.toml): who issues and signs; a bad file is refused by name and key."""

import datetime as dt

import pytest

from rules.errors import InputError
from scoring.outputs.org import OrgSettings, load_org


def test_settings_beside_the_evidence_are_found_and_defaults_fill_the_rest(tmp_path):
    (tmp_path / "cchc.toml").write_text(
        '[so]\nparent = "UBND TỈNH X"\nplace = "X"\ndate = 2026-02-05\n'
        '[units.u1]\nsymbol = "BV"\nsigner = {title = "GIÁM ĐỐC", name = "A"}\n',
        encoding="utf-8",
    )
    org = load_org(None, [tmp_path / "u1.yaml"])
    so = org.summary_issuer()
    assert (so.parent, so.name, so.short, so.date) == ("UBND TỈNH X", "SỞ Y TẾ", "Sở Y tế", dt.date(2026, 2, 5))
    assert so.signer.title == "GIÁM ĐỐC" and "Sở Nội vụ" in so.recipients  # not the Sở to itself
    unit = org.unit_issuer("u1", "Bệnh viện A")
    assert (unit.parent, unit.name, unit.symbol, unit.place) == ("SỞ Y TẾ", "BỆNH VIỆN A", "BV", "X")
    assert unit.recipients[0] == "Sở Y tế (qua Phòng Tổ chức - Hành chính)" and unit.signer.name == "A"
    assert unit.date is None  # the Sở's date is not the unit's: left blank
    other = org.unit_issuer("u2", "Trung tâm B")
    assert other.signer.title == "THỦ TRƯỞNG ĐƠN VỊ" and other.symbol == ""


def test_no_settings_means_blanks(tmp_path):
    assert load_org(None, [tmp_path]) == OrgSettings()


@pytest.mark.parametrize(
    "text,message",
    [
        ("[so\n", "tệp TOML không đọc được"),
        ('[so]\nsignr = "x"\n', "trường không được hỗ trợ"),
        ('[so]\ndate = "hôm nay"\n', "so.date"),
    ],
)
def test_a_bad_settings_file_names_file_and_key(tmp_path, text, message):
    path = tmp_path / "org.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_org(path)
    assert str(path) in str(e.value) and message in str(e.value)
