"""Accuracy and speed benchmarks (run as scripts; scoring helpers importable by tests)."""
