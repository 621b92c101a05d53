"""Placeholder until the mnist exercise lands."""
