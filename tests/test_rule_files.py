"""Every YAML rule test under tests/rules runs through the durable_rules engine and must pass."""

from pathlib import Path

import pytest

from scoring.run.ruletests import collect, run_cases

CASES = collect([Path(__file__).parent / "rules"])


@pytest.mark.parametrize("case", CASES, ids=[f"{Path(c.file).stem}:{c.name}" for c in CASES])
def test_rule_case(case):
    (outcome,) = run_cases([case])
    assert outcome.passed, "\n".join(outcome.failures)
