"""The to-do list at a date: evidence to add apart from results to improve, and never points whose
deadline (or assessment year) has passed. Values worked out by hand from tests/catalogs/all-kinds.yaml."""

import datetime as dt

from evidence.validate import build_unit
from scoring.core.todo import todo
from tests.helpers import score_units


def _todo(catalog, on, **evidence):
    unit = build_unit(
        {"unit": {"id": "u", "name": "U", "type": "co_quan_so", "year": 2026}, "evidence": evidence}, catalog, "t"
    )
    return todo(score_units(catalog, [unit]).units[0], catalog, on)


def _codes(fixes):
    return {f.code: f.points for f in fixes}


def test_missing_evidence_is_its_own_list_and_says_what_doing_it_now_earns(all_kinds):
    # 1.1: plan due 31/12/2025, 0,5 if late. Nothing given: the points are there if the plan exists.
    t = _todo(all_kinds, dt.date(2026, 5, 1))
    plan = next(f for f in t.evidence if f.code == "1.1")
    assert plan.points == 1 and "Bổ sung tài liệu kiểm chứng (Kế hoạch CCHC năm 2026) nếu đã thực hiện" in plan.action
    assert "thực hiện bây giờ đạt tối đa 0,5 điểm" in plan.action
    assert "1.1" not in _codes(t.results) and "1.1" not in _codes(t.closed)


def test_a_late_document_stays_late(all_kinds):
    # issued 05/01/2026, five days late: 0,5 of 1, and nothing done now changes its date
    t = _todo(all_kinds, dt.date(2026, 1, 10), plan={"number": "1/KH", "date": "05/01/2026"})
    assert _codes(t.closed)["1.1"] == 0.5 and "1.1" not in _codes(t.results)
    assert "Không còn khắc phục được" in next(f for f in t.closed if f.code == "1.1").action


def test_an_old_document_is_to_be_issued_again(all_kinds):
    # 1.1: a plan dated 30/09/2025, before the plans counted (from 01/10/2025), earns nothing; a new
    # one now is late (after 31/12/2025): 0,5 still to win, until the year ends
    old = {"plan": {"number": "9/KH", "date": "30/09/2025"}}
    assert _codes(_todo(all_kinds, dt.date(2026, 2, 1), **old).results)["1.1"] == 0.5
    assert _codes(_todo(all_kinds, dt.date(2025, 12, 1), **old).results)["1.1"] == 1  # still before the deadline
    assert "1.1" not in _codes(_todo(all_kinds, dt.date(2027, 1, 1), **old).results)


def test_periodic_reports_not_yet_due_are_worth_full_points_then_only_the_late_rate(all_kinds):
    # 1.2: four quarterly reports due 02/03, 02/06, 02/09, 02/12/2026; 1 point if all in but some late.
    q1 = {"report_q1": {"number": "1/BC", "date": "01/03/2026"}}
    before_q2 = _todo(all_kinds, dt.date(2026, 4, 1), **q1)
    assert _codes(before_q2.results)["1.2"] == 2  # Q2–Q4 can still go in on time
    after_q2 = _todo(all_kinds, dt.date(2026, 6, 3), **q1)
    assert _codes(after_q2.results)["1.2"] == 1  # Q2 is late whatever happens now
    after_year = _todo(all_kinds, dt.date(2027, 1, 1), **q1)
    assert "1.2" not in _codes(after_year.results) and _codes(after_year.closed)["1.2"] == 2


def test_results_can_be_improved_until_the_year_ends(all_kinds):
    # 2.1: satisfaction 85 % < 90 %: 2 points lost
    assert _codes(_todo(all_kinds, dt.date(2026, 12, 31), satisfaction=85).results)["2.1"] == 2
    closed = _todo(all_kinds, dt.date(2027, 1, 1), satisfaction=85).closed
    assert _codes(closed)["2.1"] == 2
    assert "năm đánh giá đã kết thúc" in next(f for f in closed if f.code == "2.1").action


def test_a_deduction_is_a_lesson_not_an_offer(all_kinds):
    t = _todo(all_kinds, dt.date(2026, 3, 1), satisfaction=95, late_no_apology=2)  # 2 points, −0,5 × 2
    assert "2.4" not in _codes(t.results) and _codes(t.closed)["2.4"] == 1
    # with no points to take, the deduction took nothing and is not listed
    assert "2.4" not in _codes(_todo(all_kinds, dt.date(2026, 3, 1), late_no_apology=2).closed)


def test_open_points_count_only_what_can_still_be_earned(all_kinds):
    t = _todo(all_kinds, dt.date(2026, 1, 10), plan={"number": "1/KH", "date": "05/01/2026"}, satisfaction=85)
    assert t.open_points == round(sum(f.points for f in t.evidence + t.results), 2)
    assert t.open_points < round(t.open_points + sum(f.points for f in t.closed), 2)
