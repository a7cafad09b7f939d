"""A CSV folder (units.csv + evidence.csv + manual.csv + not_applicable.csv) scores like the same YAML."""

import csv

from click.testing import CliRunner

from cli import main
from evidence.loaders import load_paths
from evidence.models import Document
from tests.helpers import ROOT, score_units


def write(path, header, rows):
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def export(units, folder):
    folder.mkdir()
    write(
        folder / "units.csv",
        ["id", "name", "type", "parent", "year"],
        [[u.unit.id, u.unit.name, u.unit.type, u.unit.parent or "", u.unit.year] for u in units],
    )
    rows = []
    for u in units:
        for field, v in u.values.items():
            if isinstance(v, Document):
                rows.append([u.unit.id, field, "", v.number, v.date.strftime("%d/%m/%Y"), v.file])
            else:
                rows.append(
                    [u.unit.id, field, {True: "Có", False: "Không"}.get(v, v) if isinstance(v, bool) else v, "", "", ""]
                )
    write(folder / "evidence.csv", ["unit_id", "field", "value", "number", "date", "file"], rows)
    write(
        folder / "manual.csv",
        ["unit_id", "code", "points", "reason", "by"],
        [[u.unit.id, c, str(m.points).replace(".", ","), m.reason, m.by] for u in units for c, m in u.manual.items()],
    )
    write(
        folder / "not_applicable.csv",
        ["unit_id", "code", "reason"],
        [[u.unit.id, c, r] for u in units for c, r in u.not_applicable.items()],
    )


def test_csv_folder_scores_like_yaml(tmp_path, syt):
    yaml_units = load_paths(
        [ROOT / "examples" / "trung-tam-y-te.yaml", ROOT / "examples" / "chi-cuc-dskhhgd.yaml"], syt
    ).units
    export(yaml_units, tmp_path / "csv")
    loaded = load_paths([tmp_path], syt)
    assert not loaded.failures, loaded.problems
    by_id = {u.unit.id: u for u in loaded.units}
    for original in yaml_units:
        again = by_id[original.unit.id]
        assert again.values == original.values and again.manual == original.manual
        assert again.not_applicable == original.not_applicable
    a = score_units(syt, yaml_units).units
    b = score_units(syt, [by_id[u.unit.id] for u in yaml_units]).units
    assert [(u.points, u.index, u.band) for u in a] == [(u.points, u.index, u.band) for u in b]


def test_csv_errors_name_file_and_row(tmp_path):
    folder = tmp_path / "csv"
    folder.mkdir()
    write(folder / "units.csv", ["id", "name", "type", "year"], [["bv-a", "BV A", "benh_vien", "2026"]])
    write(
        folder / "evidence.csv",
        ["unit_id", "field", "value"],
        [["bv-a", "staff_total", "12"], ["bv-a", "staff_informed", "-3"]],
    )
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 2
    assert "evidence.csv, dòng 3 [evidence.staff_informed]" in result.stderr and "số âm" in result.stderr
    write(folder / "evidence.csv", ["unit_id", "field", "value"], [["bv-khac", "staff_total", "12"]])
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert "dòng 2 [unit_id]: mã đơn vị 'bv-khac' không có trong units.csv" in result.stderr
