"""Canonical records -> checks: arithmetic, table-vs-table, narrative-vs-table.

Entry point: :func:`audit.document.audit_document`.
"""
