"""Versioned, pure, explainable conventionnement criteria, each documented for the collective."""
