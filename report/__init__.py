"""Reading the dataset: sql, compare, export, HTML report. Never writes the store."""
