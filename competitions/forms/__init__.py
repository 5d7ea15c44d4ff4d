"""Forms of the competitions app, one module per area."""
