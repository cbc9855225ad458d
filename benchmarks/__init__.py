"""Benchmarks of vipreport's core against pandas, polars and DuckDB on one metric set."""
