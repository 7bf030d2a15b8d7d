"""Input problems, each with a sentence a person understands.

The pipeline records ``str(error)`` as the document's ``error`` and ``error.kind`` as its class.
"""

from __future__ import annotations


class InputError(Exception):
    """A file that cannot be read as a 决算 PDF. The message is shown to users as is."""

    kind = "input"


class EmptyFile(InputError):
    kind = "empty"


class NotPdf(InputError):
    kind = "not_pdf"


class Encrypted(InputError):
    kind = "encrypted"


class CorruptPdf(InputError):
    kind = "corrupt"
