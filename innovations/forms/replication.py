"""Forms: replication."""
