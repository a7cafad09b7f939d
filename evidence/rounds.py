"""The appraisal rounds (thẩm định), in their order: kept apart from the models so that the CLI
can name them in its options without importing pydantic."""

from typing import Literal, get_args

RoundId = Literal["appraisal_1", "explanation", "appraisal_2", "final"]
ROUNDS: tuple[str, ...] = get_args(RoundId)
ROUND_LABELS = {
    "appraisal_1": "Thẩm định lần 1",
    "explanation": "Giải trình của đơn vị",
    "appraisal_2": "Thẩm định lần 2",
    "final": "Kết quả cuối cùng",
}
SCORED_ROUNDS = tuple(r for r in ROUNDS if r != "explanation")  # the rounds inspectors give points in
