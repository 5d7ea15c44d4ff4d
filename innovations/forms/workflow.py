"""Forms: workflow."""
