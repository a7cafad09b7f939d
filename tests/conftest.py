import os

import pytest

from rules.load import load_catalog
from tests.helpers import ALL_KINDS

# Every test scores as of one fixed day (the day the hand-computed values were checked), so no test
# depends on the day it runs; the commands run in subprocesses inherit it. Tests of the clock itself
# set their own day.
os.environ["CCHC_TODAY"] = "2026-11-24"


@pytest.fixture(scope="session")
def all_kinds():
    return load_catalog(ALL_KINDS)


@pytest.fixture(scope="session")
def syt():
    return load_catalog("syt-2026")
