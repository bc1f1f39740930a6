"""Aggregates of the registry: caisses, places, criteria sets, members and proposals."""
