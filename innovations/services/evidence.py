"""Writes: evidence."""
