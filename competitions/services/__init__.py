"""Writes of the competitions app, one module per area; import from the module that owns the write."""
