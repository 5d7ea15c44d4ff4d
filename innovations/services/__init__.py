"""Writes of the innovations app, one module per area; import from the module that owns the write."""
