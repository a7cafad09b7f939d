"""The hostile-file corpus (tests/hostile/corpus.py), each case run by `cchc` in a process of its own:
its exit code, wall time and peak memory (GNU time's maximum resident set: Debian's `time` package).

    python bench/hostile.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile.corpus import CASES  # noqa: E402


def main() -> None:
    cchc = Path(sys.executable).parent / "cchc"
    print(f"{'case':<28} {'exit':>4} {'want':>4} {'seconds':>8} {'peak MB':>8}")
    worst = 0.0
    for case in CASES:
        with tempfile.TemporaryDirectory() as folder:
            args = case.build(Path(folder))
            measured = Path(folder) / "time.txt"
            # GNU time reports its child's own peak (this process, which built the case, forks it)
            done = subprocess.run(
                ["/usr/bin/time", "-f", "%e %M", "-o", str(measured), str(cchc), *args], capture_output=True, cwd=folder
            )
            seconds, peak_kb = measured.read_text().split()[-2:]
        worst = max(worst, float(seconds))
        print(
            f"{case.name:<28} {done.returncode:>4} {case.exit_code:>4} {float(seconds):8.2f} {int(peak_kb) / 1024:8.0f}"
        )
    print(f"RESULT cases={len(CASES)} slowest_s={worst:.2f}")


if __name__ == "__main__":
    main()
