"""Placeholder until the regression exercise lands."""
