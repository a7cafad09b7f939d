"""Scoring catalogs (bộ tiêu chí): models, checks, compiler to durable_rules, engine."""
