"""Benchmark: the web workspace under `cchc serve` (waitress) on loopback with simulated users.

    python bench/web.py [--users 50] [--rounds 10] [--port 8766]

A fresh data folder gets the bundled examples, survey and appraisals and one unit account per
user (users share the 10 example units, as several officers of one unit would). Each user logs
in, then `--rounds` times opens its unit's page (scored by the library; reused until the unit's
data changes) and saves its evidence (checked by the library, audited; the page then shows
again), pausing about `--think` seconds between actions as a person does (`--think 0` is a
saturation test). Bounded: at most users × rounds × 2 requests, each with
a 30 s timeout. Prints p50/p95 of page views and saves, and the rescoring of one unit in-process,
ending with
RESULT users=N requests=M page_p95_ms=X save_p95_ms=Y rescore_p95_ms=Z errors=E
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-mat-khau-1"


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else (values[0] if values else 0.0)


def prepare(data: Path, users: int) -> list[tuple[str, str]]:
    """Accounts (name, unit code), made through the same store functions `cchc` uses."""
    from web.store import add_user, import_paths, open_store

    open_store(data)
    import_paths([ROOT / "examples"], "syt-2026", ROOT / "inspection" / "2026", ROOT / "surveys" / "2026.yaml")
    from web.models import Unit

    codes = [u.code for u in Unit.objects.all()]
    accounts = []
    for i in range(users):
        name, code = f"nguoi-dung-{i}", codes[i % len(codes)]
        add_user(name, "unit", PASSWORD, code)
        accounts.append((name, code))
    return accounts


class User:
    def __init__(self, base: str, name: str, code: str):
        self.base, self.name, self.code = base, name, code
        self.jar = http.cookiejar.CookieJar()
        self.http = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def request(self, path: str, form: dict | None = None) -> tuple[float, str]:
        data = None
        if form is not None:
            data = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": self.csrf()}).encode()
        started = time.perf_counter()
        with self.http.open(
            urllib.request.Request(self.base + path, data=data, headers={"Referer": self.base}), timeout=30
        ) as r:
            body = r.read().decode("utf-8")
        return (time.perf_counter() - started) * 1000, body

    def login(self) -> None:
        self.request("/dang-nhap/")
        self.request("/dang-nhap/", {"username": self.name, "password": PASSWORD})


def form_of(page: str) -> dict[str, str]:
    """The evidence form's inputs as the page shows them (what a browser would send back)."""
    form = page.split('id="evidence"', 1)[1].split("</form>", 1)[0]
    values = dict(re.findall(r'<input type="(?:text|hidden)"[^>]*name="([^"]+)" value="([^"]*)"', form))
    for name, chosen in re.findall(r'<select[^>]*name="([^"]+)">(.*?)</select>', form, re.S):
        picked = re.search(r'<option(?: value="([^"]*)")? selected>([^<]*)<', chosen)
        values[name] = (picked.group(1) or picked.group(2)) if picked else ""
    return {k: v.replace("&#x27;", "'").replace("&amp;", "&") for k, v in values.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--port", type=int, default=8766)
    ap.add_argument("--think", type=float, default=1.0, help="Mean seconds a user pauses between actions (0: none).")
    args = ap.parse_args()
    data = Path(tempfile.mkdtemp(prefix="cchc-bench-web-"))
    accounts = prepare(data, args.users)
    env = {**os.environ, "CCHC_DATA": str(data)}
    server = subprocess.Popen(
        [sys.executable, "-c", "from cli import main; main()", "serve", "--data", str(data), "--port", str(args.port)],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{args.port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/dang-nhap/", timeout=1).read()
            break
        except OSError:
            time.sleep(0.2)
    pages: list[float] = []
    saves: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def work(name: str, code: str) -> None:
        user = User(base, name, code)
        try:
            user.login()
            pause = random.Random(name)
            for _ in range(args.rounds):
                time.sleep(pause.uniform(0.5, 1.5) * args.think)
                ms, page = user.request(f"/don-vi/{code}/")
                time.sleep(pause.uniform(0.5, 1.5) * args.think)
                ms_save, _ = user.request(f"/don-vi/{code}/luu/", form_of(page))
                with lock:
                    pages.append(ms)
                    saves.append(ms_save)
        except Exception as e:  # noqa: BLE001 - counted and reported, the run goes on
            with lock:
                errors.append(f"{name}: {type(e).__name__}: {e}")

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=a) for a in accounts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    wall = time.perf_counter() - started
    server.terminate()
    server.wait(timeout=30)

    from web import services
    from web.models import Assessment, Unit

    assessment, unit = Assessment.objects.first(), Unit.objects.get(code="ttyt-an-phu")
    services.score(assessment, [unit])  # the catalog loaded once, as in the server
    rescoring = []
    for _ in range(100):
        t0 = time.perf_counter()
        services.score(assessment, [unit], cached=False)
        rescoring.append((time.perf_counter() - t0) * 1000)

    requests = len(pages) + len(saves)
    print(f"{args.users} users × {args.rounds} rounds in {wall:.1f} s: {requests} requests, {len(errors)} errors")
    print(f"unit page (scored on view): p50 {p(pages, 50):.0f} ms, p95 {p(pages, 95):.0f} ms")
    print(f"save, then the page again:  p50 {p(saves, 50):.0f} ms, p95 {p(saves, 95):.0f} ms")
    print(f"rescoring one unit:         p50 {p(rescoring, 50):.1f} ms, p95 {p(rescoring, 95):.1f} ms (in-process)")
    for e in errors[:5]:
        print("  ", e)
    print(
        f"RESULT users={args.users} requests={requests} page_p95_ms={p(pages, 95):.0f} "
        f"save_p95_ms={p(saves, 95):.0f} rescore_p95_ms={p(rescoring, 95):.1f} errors={len(errors)}"
    )


if __name__ == "__main__":
    main()
