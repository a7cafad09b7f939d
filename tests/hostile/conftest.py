"""The workspace fixture of tests/workspace, for the attacks on it."""

from tests.workspace.conftest import workspace  # noqa: F401  (a fixture used by name)
