"""vipreport."""
