"""Placeholder until the regression solution lands."""
