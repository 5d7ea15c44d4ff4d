"""Forms: evidence."""
