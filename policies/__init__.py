"""Versioned, pure, explainable conventionnement criteria. None of them reads a margin."""
