"""Placeholder until the iris solution lands."""
