"""The `cchc` command: parse options, call the library, pick a reporter. No scoring happens here."""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

import click

from evidence.rounds import SCORED_ROUNDS

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

survey_option = click.option(
    "--survey",
    "survey_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The Sở's survey results (điều tra xã hội học): YAML, JSON or Excel, one row per unit × question. "
    "Without it, survey criteria are pending and scores provisional.",
)


def catalog_for(catalog_name, year, paths=()):
    from scoring.run.inputs import catalog_for

    return catalog_for(catalog_name, year, paths)


def load_inputs(catalog_name, year, paths, survey_file, strict=True):
    from scoring.run.inputs import load_inputs

    return load_inputs(catalog_name, year, paths, survey_file, strict)


def catalog_option(func):
    """--catalog and --year: which catalog, and the assessment year whose values it applies."""
    func = click.option(
        "--year",
        type=click.IntRange(2000, 2100),
        default=None,
        help="Assessment year (its targets, deadlines and criteria). Default: the units' year, else the "
        "last year the catalog covers.",
    )(func)
    return click.option(
        "--catalog",
        "catalog_name",
        metavar="ID|FILE",
        default=None,
        help="Bundled catalog id (e.g. syt-2026) or a catalog YAML file. Default: the newest bundled one.",
    )(func)


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
        from scoring.outputs.writing import atomic_write

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


quiet_option = click.option(
    "--quiet", "-q", is_flag=True, help="No progress line on stderr (it shows only on a terminal, for long runs)."
)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@catalog_option
@survey_option
@output_options(("table", "json", "csv"), "table")
@click.option("--keep-going", is_flag=True, help="Exit 0 even if some units could not be scored (still reported).")
@quiet_option
@handle_errors
def score(paths, catalog_name, year, survey_file, fmt, output, keep_going, quiet):
    """Score units' evidence files or folders against a catalog.

    \b
    Example:
        cchc score examples/ --format json -o out/scores.json
    """
    from evidence.survey import load_survey
    from scoring import Scorer
    from scoring.core.totals import catalog_info
    from scoring.outputs.tables import write_scores
    from scoring.outputs.writing import text_output
    from scoring.run.progress import Progress

    catalog = catalog_for(catalog_name, year, paths)
    survey = load_survey(survey_file, catalog) if survey_file else None
    failures = []
    scored = 0

    def counted(scores):
        nonlocal scored
        for unit in scores:
            scored += 1
            yield unit

    with Scorer(catalog, survey=survey) as scorer, text_output(output) as out:
        scores = Progress("Đang chấm điểm", quiet=quiet).wrap(scorer.score_files(list(paths), failures))
        write_scores(
            fmt, catalog_info(catalog), counted(scores), lambda: [str(p) for f in failures for p in f.problems], out
        )
        if not scored:  # raised inside the output's block: an earlier output is left as it was
            raise _no_unit(failures)
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
    help="Comma-separated formats: html, xlsx, docx, md, pdf (A4, from the HTML).",
)
@appraisal_option
@survey_option
@click.option(
    "--org",
    "org_file",
    type=click.Path(path_type=Path),
    help="Organisation settings (issuer, số, ký hiệu, signer, date, recipients) for the Word reports. "
    "Default: cchc.toml beside the evidence, if any; else blanks to fill by hand.",
)
@click.option(
    "--attachments",
    "attachments_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of the units' evidence files: each file the evidence names is looked up there (never "
    "outside it) and its SHA-256 recorded; a missing one is a warning in every report.",
)
@click.option("--keep-going", is_flag=True, help="Exit 0 even if some units could not be scored (still reported).")
@quiet_option
@handle_errors
def report(
    paths,
    catalog_name,
    year,
    out_dir,
    formats,
    appraisal_dir,
    survey_file,
    org_file,
    attachments_dir,
    keep_going,
    quiet,
):
    """Write justification reports: per unit, what to fix next, and a ranked summary.

    \b
    Example:
        cchc report examples/ -o out/ --format html,docx
    """
    from rules.errors import InputError
    from scoring import Scorer, apply_appraisal, load_appraisals
    from scoring.outputs.book import build_book
    from scoring.outputs.folder import FORMATS, report_count, write_reports
    from scoring.outputs.org import load_org
    from scoring.run.progress import Progress

    chosen = tuple(f.strip() for f in formats.split(",") if f.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise InputError(f"định dạng không hỗ trợ: {', '.join(unknown) or '(trống)'}; dùng {', '.join(FORMATS)}")
    catalog, _, loaded = load_inputs(catalog_name, year, paths, survey_file, strict=False)
    if not loaded.units:
        raise _no_unit(loaded.failures)
    with Scorer(catalog) as scorer:
        run = scorer.score(loaded.units)
    run = run.model_copy(update={"errors": [str(p) for p in loaded.problems]})
    appraisal = None
    if appraisal_dir is not None:
        appraisal = apply_appraisal(run, catalog, load_appraisals(appraisal_dir, catalog, run.types_by_unit))
    org = load_org(org_file, list(paths))
    book = build_book(run, catalog, loaded.units, appraisal=appraisal, org=org, attachments=attachments_dir)
    progress = Progress("Đang ghi báo cáo", total=report_count(book, chosen), quiet=quiet)
    try:
        written = write_reports(
            book,
            out_dir,
            chosen,
            appraisal_dir is not None,
            on_written=lambda _: progress.step(),
            workers=os.cpu_count() or 1,
        )
    finally:
        progress.close()
    click.echo(f"Đã ghi {len(written)} tệp báo cáo vào {out_dir}", err=True)
    _report_failures(loaded.failures, keep_going)


def _no_unit(failures: list):
    """A run in which no unit could be scored writes nothing: a good earlier output is kept."""
    from rules.errors import InputError, Problem

    refused = Problem("không có đơn vị nào chấm được: không ghi kết quả (tệp kết quả cũ, nếu có, giữ nguyên)")
    return InputError([refused] + [p for f in failures for p in f.problems])


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
@survey_option
@click.option("--strict", is_flag=True, help="Criteria without evidence are errors (exit 2), not warnings.")
@handle_errors
def validate(paths, catalog_name, year, survey_file, strict):
    """Check evidence against the catalog without scoring; list what is missing or disagrees.

    \b
    Example:
        cchc validate examples/bv-da-khoa-tinh.yaml --strict
    """
    from evidence.gaps import evidence_gaps

    catalog, _, loaded = load_inputs(catalog_name, year, paths, survey_file, strict=False)
    gaps_found = False
    for unit in loaded.units:
        gaps = evidence_gaps(catalog, unit)
        click.echo(f"{'OK ' if not gaps.missing else 'THIẾU'} {unit.unit.id} ({unit.source}): {gaps.summary()}")
        for line in gaps.lines():
            click.echo(
                f"    {'LỖI' if strict and line.is_gap else 'CẢNH BÁO'}: {line.text}", err=strict and line.is_gap
            )
        gaps_found = gaps_found or bool(gaps.missing)
    if loaded.failures:
        for problem in loaded.problems:
            click.echo(f"LỖI {problem}", err=True)
    if loaded.failures or (strict and gaps_found):
        sys.exit(EXIT_BAD_INPUT)


@main.command()
@click.argument("reports", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@catalog_option
@click.option("--unit-id", default=None, help="The unit's id (default: from the report's file name).")
@click.option("--unit-type", default=None, help="The unit's type: a catalog id or its Vietnamese name.")
@click.option("--unit-name", default=None, help="The unit's name (default: its id).")
@click.option(
    "--output",
    "-o",
    "output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The draft to write.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "xlsx"]),
    default=None,
    help="yaml: a draft evidence file with each value's source; xlsx: the unit workbook filled in. "
    "Default: from the output's extension.",
)
@handle_errors
def extract(reports, catalog_name, year, unit_id, unit_type, unit_name, output, fmt):
    """Draft evidence from the reports a unit already writes (.txt, .md, .docx, text .pdf).

    Each value comes with the sentence it was read from, its place and a confidence; conflicts and
    fields not found are listed. The draft carries `reviewed: false` until the unit checks it.

    \b
    Example:
        cchc extract bao-cao-cchc-2026.docx --unit-type "Trung tâm Y tế" -o nhap.yaml
    """
    from evidence.drafts import draft_from_reports
    from scoring.outputs.writing import atomic_write

    catalog = catalog_for(catalog_name, year)
    made = draft_from_reports(list(reports), catalog, unit_id, unit_type, unit_name)
    fmt = fmt or ("xlsx" if output.suffix.lower() == ".xlsx" else "yaml")
    if fmt == "xlsx":
        from scoring.outputs.workbooks import write_template

        write_template(catalog, output, made.typed(catalog, str(output)))
    else:
        atomic_write(output, made.yaml_text())
    click.echo(made.summary(output), err=True)


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
    help="Pre-fill from a unit's evidence file (YAML, JSON, xlsx or a CSV folder); the workbook then lists "
    "only the criteria for that unit's type.",
)
@click.option("--unit", "unit_id", metavar="UNIT_ID", help="The unit to pre-fill, when --from holds several.")
@handle_errors
def template(catalog_name, year, output, prefill, unit_id):
    """Write the Excel workbook a unit fills in, generated from the catalog.

    \b
    Example:
        cchc template -o tu-danh-gia-2026.xlsx
        cchc template --from examples/ --unit ttyt-an-phu -o an-phu.xlsx
    """
    from evidence.loaders import one_unit
    from scoring import load_evidence
    from scoring.outputs.workbooks import write_template

    catalog = catalog_for(catalog_name, year, [prefill] if prefill else ())
    unit = one_unit(load_evidence([prefill], catalog).all_or_error(), unit_id, prefill) if prefill else None
    write_template(catalog, output, unit)
    click.echo(
        f"Đã ghi biểu mẫu {output} ({len(catalog.fields)} tài liệu kiểm chứng, bộ tiêu chí {catalog.id})", err=True
    )


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
@survey_option
@output_options(("table", "json"), "table")
@handle_errors
def sample(paths, catalog_name, year, fraction, seed, include, exclude, lowest, survey_file, fmt, output):
    """Draw the inspection sample: stratified by unit type, reproducible for a seed.

    \b
    Example:
        cchc sample examples/ --fraction 0.3 --seed 2026 --include bv-ydct
    """
    from scoring.inspection.draw import draw_inspection

    catalog, _, loaded = load_inputs(catalog_name, year, paths, survey_file)
    drawn = draw_inspection(catalog, loaded.units, fraction, seed, include, exclude, lowest)
    if fmt == "json":
        emit(json.dumps(drawn.as_dict(), ensure_ascii=False, indent=2) + "\n", output)
    else:
        emit(drawn.to_text(catalog.unit_types), output)


sample_option = click.option(
    "--sample",
    "sample_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The inspection sample written by `cchc sample -o FILE` (JSON or text).",
)


@main.command("appraise-template")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@catalog_option
@click.option("--output", "-o", "output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--round",
    "round_",
    type=click.Choice(SCORED_ROUNDS),
    default="appraisal_1",
    show_default=True,
    help="Which appraisal round this workbook records.",
)
@sample_option
@survey_option
@handle_errors
def appraise_template(paths, catalog_name, year, output, round_, sample_file, survey_file):
    """Write the Excel an inspector fills in, pre-filled with the self-scores and explanations.

    \b
    Example:
        cchc appraise-template examples/ --sample mau.json -o tham-dinh.xlsx
    """
    from evidence.sample import read_sample
    from scoring import Scorer
    from scoring.outputs.workbooks import write_appraisal_template

    catalog, _, loaded = load_inputs(catalog_name, year, paths, survey_file)
    units = loaded.units
    if sample_file is not None:
        drawn = read_sample(sample_file, {u.unit.id for u in units})
        units = sorted((u for u in units if u.unit.id in drawn), key=lambda u: drawn.index(u.unit.id))
    with Scorer(catalog) as scorer:
        write_appraisal_template(scorer.score(units), catalog, output, round_)
    click.echo(f"Đã ghi {output} ({len(units)} đơn vị)", err=True)


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
@sample_option
@survey_option
@output_options(("table", "json"), "table")
@handle_errors
def compare(paths, catalog_name, year, appraisal_dir, sample_file, survey_file, fmt, output):
    """Compare self-scores with appraised scores, and estimate the unsampled units' inflation.

    \b
    Example:
        cchc compare examples/ --appraisal appraisals/ --sample mau.json --format json
    """
    from evidence.sample import read_sample
    from scoring import Scorer, apply_appraisal, load_appraisals
    from scoring.inspection import compare as comparison

    catalog, _, loaded = load_inputs(catalog_name, year, paths, survey_file)
    units = loaded.units
    with Scorer(catalog) as scorer:
        run = scorer.score(units)
    appraisal = apply_appraisal(run, catalog, load_appraisals(appraisal_dir, catalog, run.types_by_unit))
    drawn = read_sample(sample_file, run.unit_ids) if sample_file is not None else None
    result = comparison.compare(run.units, appraisal, drawn)
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
def rules_list(catalog_name, year, fmt, output):
    """List the scored criteria (leaves) of a catalog.

    \b
    Example:
        cchc rules list --format json
    """
    from scoring.outputs.catalog_view import leaf_rows, leaves_text

    catalog = catalog_for(catalog_name, year)
    if fmt == "json":
        emit(json.dumps(leaf_rows(catalog), ensure_ascii=False, indent=2) + "\n", output)
    else:
        emit(leaves_text(catalog), output)


@rules.command("show")
@click.argument("code")
@catalog_option
@handle_errors
def rules_show(code, catalog_name, year):
    """Show one criterion: its rule, parameters, evidence and reference.

    \b
    Example:
        cchc rules show 2.3.1
    """
    import yaml

    from rules.errors import InputError

    catalog = catalog_for(catalog_name, year)
    node = next((n for _, n, _ in catalog.walk() if n.code == code), None)
    if node is None:
        raise InputError(f"không có tiêu chí mã '{code}' trong {catalog.id}")
    data = node.model_dump(mode="json", exclude_defaults=True)
    click.echo(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), nl=False)


@rules.command("check")
@click.argument("catalog", required=False)
@handle_errors
def rules_check(catalog):
    """Check a catalog for every year it covers: maxima add up, bands have no gap or overlap, every
    leaf is complete, every deadline and dated value resolves.

    \b
    Example:
        cchc rules check syt-2026
    """
    from rules.errors import InputError
    from rules.load import load_every_year

    loaded, problems = load_every_year(catalog)
    for c in loaded:
        click.echo(f"OK  {c.id} năm {c.year} ({c.source}): {len(c.leaves)} tiêu chí, tổng {c.max_points:g} điểm")
    if problems:
        raise InputError(problems)


@rules.command("import")
@click.argument("annex", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The draft catalog YAML to write (atomically).",
)
@click.option(
    "--year",
    type=click.IntRange(2000, 2100),
    default=None,
    help="Assessment year the criteria score. Default: the year the annex names.",
)
@click.option("--id", "catalog_id", default=None, help="Catalog id. Default: from the annex's file name.")
@handle_errors
def rules_import(annex, output, year, catalog_id):
    """Read the criteria table of a Sở's decision annex (.docx, .xlsx, .csv, .md, text .pdf) into
    a draft catalog: the tree, maxima, the tiers of each criterion and a proposed rule kind, each
    marked `review: true` with the text it came from, and the problems found, listed in place.

    \b
    Example:
        cchc rules import phu-luc-tieu-chi-2025.docx -o syt-2025.yaml
        cchc rules check syt-2025.yaml
    """
    from rules.annex.draft import draft_summary, draft_yaml, import_annex

    data = import_annex(annex, year, catalog_id)
    emit(draft_yaml(data, annex.name, output.name), output)
    click.echo(draft_summary(data), err=True)
    click.echo(f"Tiếp theo: xem lại {output}, rồi chạy: cchc rules check {output}", err=True)


@rules.command("diff")
@click.argument("old")
@click.argument("new")
@output_options(("text", "json"), "text")
@handle_errors
def rules_diff(old, new, fmt, output):
    """What changed between two catalogs, or two years of one: criteria added and removed, maxima,
    targets, deadlines. Name each as ID|FILE, optionally @YEAR.

    \b
    Example:
        cchc rules diff syt-2026@2019 syt-2026@2026
    """
    from rules.diff import diff_catalogs, diff_text
    from rules.load import load_catalog_at

    before, after = load_catalog_at(old), load_catalog_at(new)
    changes = diff_catalogs(before, after)
    if fmt == "json":
        emit(json.dumps([c.__dict__ for c in changes], ensure_ascii=False, indent=2) + "\n", output)
    else:
        emit(diff_text(before, after, changes), output)


@rules.command("test")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@handle_errors
def rules_test(paths):
    """Run rule tests written as YAML (default: tests/rules/).

    \b
    Example:
        cchc rules test tests/rules/on_time.yaml
    """
    from scoring.run.ruletests import collect, run_cases

    outcomes = run_cases(collect(list(paths) or [Path("tests/rules")]))
    failed = [o for o in outcomes if not o.passed]
    for o in failed:
        click.echo(f"FAIL {o.case.file}:{o.case.line} {o.case.name}")
        for f in o.failures:
            click.echo(f"     {f}")
    click.echo(f"{len(outcomes) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


def _add_web_commands() -> None:
    """serve, user, import, export (web/commands.py), with the same handling of bad input."""
    from web.commands import COMMANDS

    for command in COMMANDS:
        for c in [command, *getattr(command, "commands", {}).values()]:
            if c.callback is not None and not isinstance(c, click.Group):
                c.callback = handle_errors(c.callback)
        main.add_command(command)


_add_web_commands()


def run() -> None:
    """The `cchc` program: a process of its own, which tunes its collector for scoring unless it
    serves the web workspace (`main` alone is what tests and other programs call)."""
    if sys.argv[1:2] != ["serve"]:
        from rules.parallel import tune_collector_for_batch

        tune_collector_for_batch()
    main()


if __name__ == "__main__":
    run()
