"""Writes: sustainability."""
