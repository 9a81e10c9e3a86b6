"""Deterministic generator of the fictional demo manufacturer."""
