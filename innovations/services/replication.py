"""Writes: replication."""
