"""The data contract: record types, Arrow schemas and controlled vocabularies.

Every other stage imports this package; it imports none of them.
"""

PIPELINE_VERSION = "0.1.0"
