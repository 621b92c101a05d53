"""Placeholder until the iris exercise lands."""
