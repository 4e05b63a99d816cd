"""Benchmarks (not tests): `python -m bench` runs every bench_*.py module; see __main__.py."""
