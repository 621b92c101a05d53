"""Placeholder until the mnist solution lands."""
