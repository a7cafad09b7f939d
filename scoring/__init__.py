"""Points, totals, index, bands, ranks and explanations, from the engine's decisions."""
