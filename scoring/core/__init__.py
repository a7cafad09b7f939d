"""A unit's score from the engine's decisions: results, subtotals, index, band, ranks, explanations, to-do list."""
