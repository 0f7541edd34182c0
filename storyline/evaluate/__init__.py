"""Readers and scorers of the benchmarks ``storyline eval`` runs."""


def f1(p: float, r: float) -> float:
    """The harmonic mean of precision and recall; 0 when both are 0."""
    return 2 * p * r / (p + r) if p + r else 0.0
