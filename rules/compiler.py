"""Compile a catalog into a durable_rules ruleset in its JSON form: data in, data out, no eval.

One rule per leaf × outcome. The event for a unit × leaf carries `leaf` (the code), `state`
(ok / missing / na) and the observed values; exactly one rule of the leaf can match it.
"""

from __future__ import annotations

from rules.catalog import Catalog
from rules.spec import MISSING, NA, OK, UNVERIFIED


def rule_name(code: str, outcome_id: str) -> str:
    return f"{code}|{outcome_id}"


def split_rule_name(name: str) -> tuple[str, str]:
    code, _, outcome_id = name.rpartition("|")
    return code, outcome_id


def compile_ruleset(catalog: Catalog, cap: int | None = None) -> dict[str, dict]:
    """{rule name: {"all": [{"m": condition}], "run": rule name}} for Host.set_rulesets.

    With `cap`, a rule's action receives up to that many matched events in one call.
    """
    rules: dict[str, dict] = {}
    for leaf in catalog.leaves:
        cases = [(o.id, [{"state": OK}, *o.when]) for o in leaf.outcomes()]
        cases += [
            ("missing", [{"state": MISSING}]),
            ("not_applicable", [{"state": NA}]),
            ("unverified", [{"state": UNVERIFIED}]),
        ]
        for outcome_id, conditions in cases:
            name = rule_name(leaf.code, outcome_id)
            rules[name] = {"all": [{"m": {"$and": [{"leaf": leaf.code}, *conditions]}}], "run": name}
            if cap:
                rules[name]["cap"] = cap
    return rules
