"""PDF bytes -> raw records: pages, text, tables, narrative figures, title-page metadata.

Entry point: :func:`extract.document.extract_document`.
"""
