"""Annex tables: find them, read their grids, parse headers and rows, stitch page breaks."""
