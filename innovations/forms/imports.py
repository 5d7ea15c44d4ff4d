"""Forms: imports."""
