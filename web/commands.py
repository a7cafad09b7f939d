"""`cchc serve`, `cchc user add`, `cchc import`, `cchc export`: the commands that touch the web
workspace's data folder. Django is imported only when one of them runs."""

from __future__ import annotations

import atexit
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
data_option = click.option(
    "--data",
    "data",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("cchc-data"),
    show_default=True,
    help="The data folder: database (SQLite unless DATABASE_URL is set), secret key, uploaded files.",
)


@click.command()
@data_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--demo",
    is_flag=True,
    help="Load examples/ and inspection/2026 into an empty data folder (--data, else a temporary one removed "
    "on exit); print demo accounts.",
)
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64), help="Waitress worker threads.")
def serve(data, host, port, demo, threads):
    """Run the web workspace under waitress (Windows too).

    \b
    Example:
        cchc serve --demo
        cchc serve --data /srv/cchc --host 0.0.0.0 --port 8080
    """
    from waitress import serve as waitress_serve

    from web.store import open_store

    if demo:
        data = _demo_folder(data, click.get_current_context().get_parameter_source("data"))
    open_store(data)
    if demo:
        accounts = load_demo()
        click.echo(f"Dữ liệu mẫu trong {data}. Tài khoản thử:", err=True)
        for name, label, password in accounts:
            click.echo(f"  {name:<16} mật khẩu {password:<14} {label}", err=True)
    from django.conf import settings

    from web.wsgi import application

    click.echo(f"Mở http://{host}:{port}/ (Ctrl+C để dừng)", err=True)
    # A body larger than an upload may be is refused by waitress before it is spooled to disk.
    waitress_serve(application, host=host, port=port, threads=threads, max_request_body_size=settings.MAX_REQUEST_BODY)


def _demo_folder(data: Path, source) -> Path:
    """The demo's data folder: --data when given (it must hold no data yet), else a temporary
    folder that is removed when the server stops."""
    from rules.errors import InputError

    if source == click.core.ParameterSource.DEFAULT:
        folder = Path(tempfile.mkdtemp(prefix="cchc-demo-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        return folder
    if data.exists() and any(data.iterdir()):
        raise InputError(f"--demo cần một thư mục dữ liệu trống; {data} đã có dữ liệu")
    return data


def load_demo() -> list[tuple[str, str, str]]:
    """The bundled examples, survey and appraisals; an admin, one account per unit, an inspector
    assigned to the units drawn with seed 35. Returns (user name, role, password)."""
    from scoring.inspection.draw import draw_sample
    from web.models import Assessment, Assignment, Unit
    from web.store import add_user, import_paths

    import_paths([ROOT / "examples"], "syt-2026", ROOT / "inspection" / "2026", ROOT / "surveys" / "2026.yaml")
    assessment = Assessment.objects.first()
    assert assessment is not None
    sample = draw_sample({u.code: u.unit_type for u in Unit.objects.all()}, 0.3, 35)
    assessment.sample = sample.as_dict()
    assessment.save()
    accounts = [("so-admin", "Quản trị Sở Y tế", "admin", None)]
    accounts += [(u.code, f"Đơn vị: {u.name[:40]}", "unit", u.code) for u in Unit.objects.all()]
    accounts += [("tham-dinh", "Đoàn thẩm định", "inspector", None)]
    out = []
    for name, label, role, unit in accounts:
        password = secrets.token_urlsafe(9)
        add_user(name, role, password, unit)
        out.append((name, label, password))
    from django.contrib.auth.models import User

    inspector = User.objects.get(username="tham-dinh")
    for s in sample.selected:
        Assignment.objects.get_or_create(
            assessment=assessment, inspector=inspector, unit=Unit.objects.get(code=s["unit_id"])
        )
    return out


@click.group()
def user():
    """Accounts of the web workspace."""


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "unit", "inspector"]), required=True)
@click.option("--unit", "unit_code", metavar="UNIT_ID", help="The unit of a unit account.")
@click.option("--full-name", default="", help="The person's name, as shown on pages and in the audit log.")
@click.option("--password-stdin", is_flag=True, required=True, help="Read the password from standard input.")
@data_option
def user_add(name, role, unit_code, full_name, password_stdin, data):
    """Add an account (or reset its password and role).

    \b
    Example:
        echo "$PASSWORD" | cchc user add ttyt-an-phu --role unit --unit ttyt-an-phu --password-stdin
    """
    from web.store import add_user, open_store

    open_store(data)
    add_user(name, role, sys.stdin.readline().rstrip("\n"), unit_code, full_name)
    click.echo(f"Đã ghi tài khoản {name} ({role})", err=True)


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--catalog", "catalog_name", default="syt-2026", show_default=True, help="Catalog id or YAML file.")
@click.option("--appraisal", "appraisal_dir", type=click.Path(exists=True, path_type=Path), help="Appraisal records.")
@click.option(
    "--survey", "survey_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Survey results."
)
@data_option
def import_(paths, catalog_name, appraisal_dir, survey_file, data):
    """Import evidence files and workbooks (and appraisals, a survey) into the data folder.

    \b
    Example:
        cchc import examples/ --appraisal inspection/2026 --survey surveys/2026.yaml --data cchc-data
    """
    from web.store import import_paths, open_store

    open_store(data)
    units, records = import_paths(list(paths), catalog_name, appraisal_dir, survey_file)
    click.echo(f"Đã nhập {units} đơn vị, {records} hồ sơ thẩm định vào {data}", err=True)


@click.command()
@data_option
@click.option("--output", "-o", "out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--year", type=int, default=None, help="The assessment year (default: the latest).")
def export(data, out, year):
    """Write the data folder's catalog, evidence, appraisals and survey out as files `cchc score` reads.

    \b
    Example:
        cchc export --data cchc-data -o ra/
        cchc score ra/evidence --catalog ra/catalog.yaml --survey ra/survey.yaml
    """
    from web.store import export as export_store
    from web.store import open_store

    open_store(data)
    written = export_store(out, year)
    click.echo(f"Đã ghi {len(written)} tệp vào {out}", err=True)


@click.command()
@data_option
def remind(data):
    """Send the reminders that are due: a deadline near or passed, results published, new giải trình.

    Each is sent once (e-mail to the accounts' addresses, and a notice on the unit's page), so it is
    safe to run on a schedule (cron, a systemd timer, Windows Task Scheduler). E-mail goes through
    the SMTP server in DIR/config.toml ([email] host, port, user, password, from, tls), else into
    DIR/thu-gui/ as files.

    \b
    Example:
        cchc remind --data /srv/cchc
    """
    from web.store import open_store

    open_store(data)
    from web.remind import remind as send_due

    sent = send_due()
    for line in sent.lines:
        click.echo(f"  {line}", err=True)
    click.echo(f"Đã gửi {sent.emails} thư, {sent.notices} thông báo", err=True)


COMMANDS = [serve, user, import_, export, remind]
