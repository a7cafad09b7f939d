"""Who issues and signs the reports (Nghị định 30/2020/NĐ-CP): read from `cchc.toml`.

Without settings a report still prints, with blanks an official fills by hand: "Số:      /BC-…",
"……, ngày …… tháng …… năm ……", a signature block without a name. Nothing is invented (no province,
no signer, no date of today passed off as the date of issue).

    [so]                                   # the Sở: issues the summary report
    parent = "UBND TỈNH KON TUM"           # cơ quan chủ quản
    name = "SỞ Y TẾ"                       # cơ quan ban hành
    symbol = "SYT"                         # ký hiệu: Số: 15/BC-SYT
    place = "Kon Tum"                      # địa danh
    number = "15"                          # số (omit: left blank)
    date = 2026-12-20                      # ngày ban hành (omit: left blank)
    signer = {authority = "KT. GIÁM ĐỐC", title = "PHÓ GIÁM ĐỐC", name = "Trần Ái"}
    recipients = ["UBND tỉnh (để báo cáo)", "Sở Nội vụ", "Các đơn vị trực thuộc", "Lưu: VT, TCHC"]

    [units.bv-dktinh]                      # one table per unit: issues its self-assessment report
    symbol = "BVĐK"
    signer = {title = "GIÁM ĐỐC", name = "Nguyễn Văn B"}
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from pydantic import Field, ValidationError

from rules.errors import InputError, Problem, pydantic_message
from rules.spec import Strict

SETTINGS_FILE = "cchc.toml"


class Signer(Strict):
    authority: str = ""  # thẩm quyền ký: "KT. GIÁM ĐỐC", "TM. ..."; empty when the head signs
    title: str = ""  # chức vụ: "PHÓ GIÁM ĐỐC"
    name: str = ""  # họ và tên


class Issuer(Strict):
    """One issuing body: the lines at the head and the foot of its report."""

    parent: str = ""  # cơ quan, tổ chức chủ quản (in hoa)
    name: str = ""  # tên cơ quan ban hành (in hoa); a unit's defaults to its name
    short: str = ""  # the name as written in a sentence: "Sở Y tế"
    symbol: str = ""  # chữ viết tắt tên cơ quan, for the ký hiệu
    place: str = ""  # địa danh
    number: str = ""  # số văn bản
    date: dt.date | None = None  # ngày ban hành
    signer: Signer = Signer()
    recipients: list[str] = Field(default_factory=list)  # nơi nhận

    def under(self, default: Issuer) -> Issuer:
        """This issuer with blanks taken from `default`."""
        filled = {k: v for k, v in self.model_dump().items() if v not in ("", None, [], {})}
        signer = {k: v for k, v in self.signer.model_dump().items() if v} or default.signer.model_dump()
        return default.model_copy(update={**filled, "signer": Signer(**signer)})


class OrgSettings(Strict):
    so: Issuer = Issuer()
    units: dict[str, Issuer] = Field(default_factory=dict)

    def summary_issuer(self) -> Issuer:
        return self.so.under(
            Issuer(
                name="SỞ Y TẾ",
                short="Sở Y tế",
                signer=Signer(title="GIÁM ĐỐC"),
                recipients=["UBND tỉnh (để báo cáo)", "Sở Nội vụ", "Các đơn vị trực thuộc", "Lưu: VT"],
            )
        )

    def unit_issuer(self, unit_id: str, unit_name: str) -> Issuer:
        """A unit's issuer: its own table, under defaults taken from the Sở (parent, place)."""
        so = self.summary_issuer()
        default = Issuer(
            parent=so.name,
            name=unit_name.upper(),
            short=unit_name,
            place=so.place,
            signer=Signer(title="THỦ TRƯỞNG ĐƠN VỊ"),
            recipients=[f"{so.short or so.name} (qua Phòng Tổ chức - Hành chính)", "Lưu: VT"],
        )
        return self.units.get(unit_id, Issuer()).under(default)


def load_org(path: Path | None, near: list[Path] | None = None) -> OrgSettings:
    """`path` if given, else `cchc.toml` beside the first input (its folder, or the folder it is in),
    else none: blanks to fill by hand."""
    if path is None:
        for p in near or []:
            folder = p if p.is_dir() else p.parent
            if (folder / SETTINGS_FILE).is_file():
                path = folder / SETTINGS_FILE
                break
        else:
            return OrgSettings()
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(Problem("không tìm thấy tệp thiết lập cơ quan", str(path))) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise InputError(Problem(f"tệp TOML không đọc được: {e}", str(path))) from None
    try:
        return OrgSettings.model_validate(data)
    except ValidationError as e:
        raise InputError(
            [
                Problem(pydantic_message(err), str(path), None, ".".join(str(x) for x in err["loc"]))
                for err in e.errors()
            ]
        ) from None
