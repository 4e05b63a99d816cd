"""Oversight actions: every write of the pillar, one module per aggregate, each with its state
diagram in the module docstring."""
