"""Hybrid retrieval over the standard's clauses and the indicators (DESIGN §6)."""
