"""Tests of the conventionnement policies, the seed criteria and the engine that combines them."""
