"""Scoring at any scale: the Scorer, evidence files on worker processes, spool files, progress, inputs, rule tests."""
