"""Errors that actions raise. Views and the API turn them into messages; never a server error."""


class ActionError(Exception):
    """A precondition of an action failed; the message is translated and names the problem."""

    def __init__(self, message, *, field: str | None = None, code: str = "invalid"):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code


class RowErrors(ActionError):
    """Several row-level problems found while validating an import: nothing was stored."""

    def __init__(self, errors: list[dict]):
        super().__init__("import rejected", code="import_rejected")
        self.errors = errors
