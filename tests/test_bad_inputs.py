"""The bad-input corpus: every case exits 2 with its message and place, never a traceback."""

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cli import main
from tests.helpers import ROOT

HERE = Path(__file__).parent / "bad_inputs"
CASES = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
EXAMPLES = str(ROOT / "examples")
COMMANDS = {
    "validate": ["validate"],
    "score": ["score"],
    "rules-check": ["rules", "check"],
    "appraisal": ["compare", EXAMPLES, "--appraisal"],  # the file is an inspector's appraisal record
    "survey": ["score", EXAMPLES, "--survey"],  # the file is the Sở's survey results
}


def test_corpus_is_large_enough():
    assert len(CASES) >= 80


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_input(case):
    path = HERE / case["file"]
    before = path.read_bytes() if path.is_file() else None
    result = CliRunner().invoke(main, [*COMMANDS[case["command"]], str(path)])
    assert result.exit_code == 2, result.output
    assert case["expect"] in result.stderr, result.stderr
    if "where" in case:
        assert case["where"] in result.stderr, result.stderr
    assert str(path) in result.stderr or case["file"] in result.stderr
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if before is not None:
        assert path.read_bytes() == before  # inputs are never modified
