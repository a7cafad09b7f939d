"""The `cchc` command: parse options, call the library, pick a reporter. No scoring happens here."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

EXIT_BAD_INPUT = 2


def handle_errors(func):
    """Bad input → its message and exit 2; an engine fault → exit 1; never a traceback for input."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from rules.errors import EngineError, InputError

        try:
            return func(*args, **kwargs)
        except InputError as e:
            click.echo("Lỗi dữ liệu đầu vào:", err=True)
            for problem in e.problems:
                click.echo(f"  - {problem}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except EngineError as e:
            click.echo(f"Lỗi động cơ luật (báo cho nhóm phát triển): {e}", err=True)
            sys.exit(1)

    return wrapper


appraisal_option = click.option(
    "--appraisal",
    "appraisal_dir",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="Folder (or file) of appraisal records (thẩm định): YAML, JSON or the Excel from appraise-template.",
)

catalog_option = click.option(
    "--catalog",
    "catalog_name",
    metavar="ID|FILE",
    default=None,
    help="Bundled catalog id (e.g. syt-2026) or a catalog YAML file. Default: the newest bundled one.",
)


def output_options(formats: tuple[str, ...], default: str):
    def decorate(func):
        func = click.option(
            "--format", "fmt", type=click.Choice(formats), default=default, show_default=True, help="Output format."
        )(func)
        return click.option(
            "--output",
            "-o",
            "output",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write to this file (atomically) instead of standard output.",
        )(func)

    return decorate


def emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        from scoring.output import atomic_write

        atomic_write(output, text)
        click.echo(f"Đã ghi {output}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cchc-score")
def main() -> None:
    """Score public-administration reform (CCHC) of health-sector units, PAR-INDEX style.

    \b
    Example:
        cchc score examples/
        cchc rules check syt-2026
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@catalog_option
@output_options(("table", "json", "csv"), "table")
@click.option("--keep-going", is_flag=True, help="Exit 0 even if some units could not be scored (still reported).")
@handle_errors
def score(paths, catalog_name, fmt, output, keep_going):
    """Score units' evidence files or folders against a catalog.

    \b
    Example:
        cchc score examples/ --format json -o out/scores.json
    """
    from rules.catalog import load_catalog
    from scoring.output import text_output
    from scoring.pipeline import score_files
    from scoring.tables import write_scores
    from scoring.totals import catalog_info

    catalog = load_catalog(catalog_name)
    failures: list = []
    scores = score_files(list(paths), catalog, failures)
    with text_output(output) as out:
        write_scores(fmt, catalog_info(catalog), scores, lambda: [str(p) for f in failures for p in f.problems], out)
    if output is not None:
        click.echo(f"Đã ghi {output}", err=True)
    _report_failures(failures, keep_going)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@catalog_option
@click.option(
    "--output",
    "-o",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the report files.",
)
@click.option(
    "--format",
    "formats",
    default="html,xlsx,docx,md",
    show_default=True,
    help="Comma-separated formats: html, xlsx, docx, md.",
)
@appraisal_option
@click.option("--keep-going", is_flag=True, help="Exit 0 even if some units could not be scored (still reported).")
@handle_errors
def report(paths, catalog_name, out_dir, formats, appraisal_dir, keep_going):
    """Write justification reports: per unit, what to fix next, and a ranked summary.

    \b
    Example:
        cchc report examples/ -o out/ --format html,docx
    """
    from evidence.loaders import load_paths
    from rules.catalog import load_catalog
    from rules.errors import InputError
    from scoring.report import build_book
    from scoring.reports import FORMATS, write_reports
    from scoring.totals import score_units

    chosen = tuple(f.strip() for f in formats.split(",") if f.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise InputError(f"định dạng không hỗ trợ: {', '.join(unknown) or '(trống)'}; dùng {', '.join(FORMATS)}")
    catalog = load_catalog(catalog_name)
    loaded = load_paths(list(paths), catalog)
    run = score_units(catalog, loaded.units)
    run.errors = [str(p) for p in loaded.problems]
    appraised, reasons = _appraised(appraisal_dir, catalog, loaded, run)
    book = build_book(run, catalog, loaded.units, appraised=appraised, reasons=reasons)
    written = write_reports(book, out_dir, chosen, appraisal=appraisal_dir is not None)
    click.echo(f"Đã ghi {len(written)} tệp báo cáo vào {out_dir}", err=True)
    _report_failures(loaded.failures, keep_going)


def _appraised(appraisal_dir, catalog, loaded, run):
    """Appraised scores and reasons (giải trình notes included) when an appraisal folder is given."""
    if appraisal_dir is None:
        return {}, {}
    from evidence.appraisal import load_appraisals
    from scoring.appraisal import appraise, explanation_notes

    records = load_appraisals(appraisal_dir, catalog, {u.unit.id for u in loaded.units})
    appraised, reasons = appraise(run, catalog, loaded.units, records)
    for key, note in explanation_notes(records).items():
        reasons[key] = f"{reasons[key]}. {note}" if key in reasons else note
    return appraised, reasons


def _report_failures(failures: list, keep_going: bool) -> None:
    if failures:
        click.echo(f"{len(failures)} đơn vị/tệp không chấm được:", err=True)
        for failure in failures:
            for problem in failure.problems:
                click.echo(f"  - {problem}", err=True)
        if not keep_going:
            sys.exit(EXIT_BAD_INPUT)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@catalog_option
@handle_errors
def validate(paths, catalog_name):
    """Check evidence against the catalog without scoring.

    \b
    Example:
        cchc validate examples/bv-da-khoa-tinh.yaml
    """
    from evidence.loaders import load_paths
    from rules.catalog import load_catalog

    catalog = load_catalog(catalog_name)
    loaded = load_paths(list(paths), catalog)
    for unit in loaded.units:
        click.echo(f"OK  {unit.unit.id} ({unit.source})")
    if loaded.failures:
        for problem in loaded.problems:
            click.echo(f"LỖI {problem}", err=True)
        sys.exit(EXIT_BAD_INPUT)


@main.command()
@catalog_option
@click.option(
    "--output",
    "-o",
    "output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The .xlsx file to write.",
)
@click.option(
    "--from",
    "prefill",
    type=click.Path(exists=True, path_type=Path),
    help="Pre-fill from one unit's evidence file (YAML, JSON or xlsx).",
)
@handle_errors
def template(catalog_name, output, prefill):
    """Write the Excel workbook a unit fills in, generated from the catalog.

    \b
    Example:
        cchc template -o tu-danh-gia-2026.xlsx
    """
    from evidence.excel import write_template
    from evidence.loaders import load_paths
    from rules.catalog import load_catalog
    from rules.errors import InputError

    catalog = load_catalog(catalog_name)
    unit = None
    if prefill is not None:
        loaded = load_paths([prefill], catalog)
        if loaded.failures or len(loaded.units) != 1:
            raise InputError(loaded.problems or [f"{prefill}: cần đúng một đơn vị để điền sẵn"])
        unit = loaded.units[0]
    write_template(catalog, output, unit)
    click.echo(f"Đã ghi biểu mẫu {output} ({len(catalog.fields)} minh chứng, bộ tiêu chí {catalog.id})", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@catalog_option
@click.option(
    "--fraction",
    type=click.FloatRange(0, 1, min_open=True),
    default=0.3,
    show_default=True,
    help="Share of units to inspect (seed 001: 30 %).",
)
@click.option("--seed", type=int, required=True, help="Random seed: the same seed and inputs give the same sample.")
@click.option("--include", multiple=True, metavar="UNIT_ID", help="Always inspect this unit (repeatable).")
@click.option("--exclude", multiple=True, metavar="UNIT_ID", help="Never inspect this unit (repeatable).")
@click.option(
    "--lowest",
    type=int,
    default=0,
    show_default=True,
    help="Also force in the N units with the lowest self-score index.",
)
@output_options(("table", "json"), "table")
@handle_errors
def sample(paths, catalog_name, fraction, seed, include, exclude, lowest, fmt, output):
    """Draw the inspection sample: stratified by unit type, reproducible for a seed.

    \b
    Example:
        cchc sample examples/ --fraction 0.3 --seed 2026 --include bv-ydct
    """
    from evidence.loaders import load_paths
    from rules.catalog import load_catalog
    from rules.errors import InputError
    from scoring.sampling import draw_sample

    catalog = load_catalog(catalog_name)
    loaded = load_paths(list(paths), catalog)
    if loaded.failures:
        raise InputError(loaded.problems)
    units = {u.unit.id: u.unit.type for u in loaded.units}
    forced, reasons = list(include), {}
    if lowest:
        from scoring.totals import score_units

        scored = sorted(
            (s for s in score_units(catalog, loaded.units).units if s.index is not None),
            key=lambda s: (s.index, s.unit_id),
        )
        for s in scored[:lowest]:
            if s.unit_id not in forced and s.unit_id not in exclude:
                forced.append(s.unit_id)
                reasons[s.unit_id] = f"chỉ số tự chấm thấp (nhóm {lowest} thấp nhất): {s.index}"
    try:
        drawn = draw_sample(units, fraction, seed, forced, list(exclude), reasons)
    except ValueError as e:
        raise InputError(str(e)) from None
    if fmt == "json":
        emit(json.dumps(drawn.as_dict(), ensure_ascii=False, indent=2) + "\n", output)
        return
    lines = [
        f"Mẫu kiểm tra: {drawn.size}/{drawn.population} đơn vị (tỷ lệ {fraction:g}, seed {seed})",
        drawn.method,
        "",
    ]
    lines += [f"  {t}: {v['sample']}/{v['population']}" for t, v in drawn.strata.items()]
    lines += [""] + [f"  {s['unit_id']:<16} {s['unit_type']:<22} {s['reason']}" for s in drawn.selected]
    emit("\n".join(lines) + "\n", output)


@main.command("appraise-template")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@catalog_option
@click.option("--output", "-o", "output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--round",
    "round_",
    type=click.Choice(["appraisal_1", "appraisal_2", "final"]),
    default="appraisal_1",
    show_default=True,
    help="Which appraisal round this workbook records.",
)
@handle_errors
def appraise_template(paths, catalog_name, output, round_):
    """Write the Excel an inspector fills in, pre-filled with the self-scores and explanations.

    \b
    Example:
        cchc appraise-template examples/bv-da-khoa-tinh.yaml -o tham-dinh.xlsx
    """
    from evidence.appraisal_excel import write_appraisal_template
    from evidence.loaders import load_paths
    from rules.catalog import load_catalog
    from rules.errors import InputError
    from scoring.totals import score_units

    catalog = load_catalog(catalog_name)
    loaded = load_paths(list(paths), catalog)
    if loaded.failures:
        raise InputError(loaded.problems)
    write_appraisal_template(score_units(catalog, loaded.units), output, round_)
    click.echo(f"Đã ghi {output} ({len(loaded.units)} đơn vị)", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@catalog_option
@click.option(
    "--appraisal",
    "appraisal_dir",
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="Folder (or file) of appraisal records.",
)
@output_options(("table", "json"), "table")
@handle_errors
def compare(paths, catalog_name, appraisal_dir, fmt, output):
    """Compare self-scores with appraised scores, and estimate the unsampled units' inflation.

    \b
    Example:
        cchc compare examples/ --appraisal appraisals/ --format json
    """
    from evidence.appraisal import load_appraisals
    from evidence.loaders import load_paths
    from rules.catalog import load_catalog
    from rules.errors import InputError
    from scoring import compare as comparison
    from scoring.appraisal import appraise, explanation_notes
    from scoring.totals import score_units

    catalog = load_catalog(catalog_name)
    loaded = load_paths(list(paths), catalog)
    if loaded.failures:
        raise InputError(loaded.problems)
    run = score_units(catalog, loaded.units)
    records = load_appraisals(appraisal_dir, catalog, {u.unit.id for u in loaded.units})
    appraised, reasons = appraise(run, catalog, loaded.units, records)
    result = comparison.compare(run.units, appraised, reasons, explanation_notes(records))
    if fmt == "json":
        emit(json.dumps(result, ensure_ascii=False, indent=2) + "\n", output)
    else:
        emit(comparison.to_text(result), output)


@main.group()
def rules() -> None:
    """List, show, check and test scoring catalogs."""


@rules.command("list")
@catalog_option
@output_options(("table", "json"), "table")
@handle_errors
def rules_list(catalog_name, fmt, output):
    """List the scored criteria (leaves) of a catalog.

    \b
    Example:
        cchc rules list --format json
    """
    from rules.catalog import load_catalog

    catalog = load_catalog(catalog_name)
    rows = [
        {
            "code": leaf.code,
            "title": leaf.title,
            "area": catalog.area_of[leaf.code],
            "kind": leaf.kind,
            "max_points": leaf.max_points,
            "applies_to": leaf.applies_to,
            "reference": str(leaf.reference),
            "evidence": [{"field": f, "label": catalog.fields[f].label} for f in leaf.fields()]
            or ([{"field": "manual", "label": "Điểm chấm thủ công kèm lý do"}] if leaf.kind == "manual" else []),
        }
        for leaf in catalog.leaves
    ]
    if fmt == "json":
        emit(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", output)
        return
    lines = [f"{r['code']:<8} {r['max_points']:>5g}  {r['kind']:<16} {r['title']}" for r in rows]
    emit(f"{catalog.id}: {len(rows)} tiêu chí, tổng {catalog.max_points:g} điểm\n" + "\n".join(lines) + "\n", output)


@rules.command("show")
@click.argument("code")
@catalog_option
@handle_errors
def rules_show(code, catalog_name):
    """Show one criterion: its rule, parameters, evidence and reference.

    \b
    Example:
        cchc rules show 2.3.1
    """
    import yaml

    from rules.catalog import load_catalog
    from rules.errors import InputError

    catalog = load_catalog(catalog_name)
    node = next((n for _, n, _ in catalog.walk() if n.code == code), None)
    if node is None:
        raise InputError(f"không có tiêu chí mã '{code}' trong {catalog.id}")
    data = node.model_dump(mode="json", exclude_defaults=True)
    click.echo(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), nl=False)


@rules.command("check")
@click.argument("catalog", required=False)
@handle_errors
def rules_check(catalog):
    """Check a catalog: maxima add up, bands have no gap or overlap, every leaf is complete.

    \b
    Example:
        cchc rules check syt-2026
    """
    from rules.catalog import load_catalog

    loaded = load_catalog(catalog)
    click.echo(f"OK  {loaded.id} ({loaded.source}): {len(loaded.leaves)} tiêu chí, tổng {loaded.max_points:g} điểm")


@rules.command("test")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@handle_errors
def rules_test(paths):
    """Run rule tests written as YAML (default: tests/rules/).

    \b
    Example:
        cchc rules test tests/rules/on_time.yaml
    """
    from scoring.ruletests import collect, run_cases

    outcomes = run_cases(collect(list(paths) or [Path("tests/rules")]))
    failed = [o for o in outcomes if not o.passed]
    for o in failed:
        click.echo(f"FAIL {o.case.file}:{o.case.line} {o.case.name}")
        for f in o.failures:
            click.echo(f"     {f}")
    click.echo(f"{len(outcomes) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
