"""Writes: workflow."""
