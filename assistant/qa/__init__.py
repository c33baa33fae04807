"""Interpretation Q&A: answers that quote and cite the standard's clauses and indicators."""
