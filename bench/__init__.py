"""Benchmarks, runnable as modules: python -m bench.bench_policies."""
