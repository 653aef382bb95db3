"""Typed errors. Every message says what the user can do about it.

Only the entry points (CLI, HTTP API, Streamlit app) turn these into exit codes,
HTTP statuses or UI messages; the library raises them and logs.
"""

from __future__ import annotations


class RagError(Exception):
    """Base class for every error this package raises on purpose."""

    #: HTTP status the API maps this error to.
    status_code: int = 500


class ConfigError(RagError):
    """A setting has a bad value (the message names the variable and the value)."""

    status_code = 500


class InputError(RagError, ValueError):
    """The caller gave bad input: empty text, text too long, bad ids or offsets."""

    status_code = 422


class NotFoundError(RagError, LookupError):
    """A document or passage that was asked for does not exist."""

    status_code = 404


class IndexMissingError(RagError):
    """There is no built index yet."""

    status_code = 503


class IndexMismatchError(RagError):
    """The index on disk was built with other settings or an older schema."""

    status_code = 503


class IndexCorruptError(RagError):
    """The index on disk cannot be read."""

    status_code = 503


class IndexBusyError(RagError):
    """Another process is building the index right now."""

    status_code = 503


class ModelLoadError(RagError):
    """A model could not be loaded offline."""

    status_code = 500


class StoreError(RagError):
    """The vector store (Chroma, embedded or server) failed."""

    status_code = 503


class GeneratorError(RagError):
    """The chat model that writes generative answers failed (server down, bad model name)."""

    status_code = 503
