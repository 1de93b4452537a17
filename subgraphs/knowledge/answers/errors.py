"""Expected failures of ``ask``: a question that is not one, an unknown product, a malformed locale."""

from __future__ import annotations

from kcp.errors import ErrorCode, KcpError, NotFoundError

MAX_QUESTION_LENGTH = 1_000


class InvalidQuestionError(KcpError):
    code = ErrorCode.BAD_USER_INPUT

    def __init__(self, problem: str) -> None:
        super().__init__(f"`question` {problem}")
        self.extensions["field"] = "question"


class InvalidLocaleError(KcpError):
    code = ErrorCode.BAD_USER_INPUT

    def __init__(self, locale: str) -> None:
        super().__init__(f"`locale` must look like `en-US`, got {locale[:20]!r}.")
        self.extensions["field"] = "locale"


class UnknownProductError(NotFoundError):
    def __init__(self, product_id: str) -> None:
        super().__init__(f"No product with id {product_id[:80]!r}.")
        self.extensions["field"] = "productId"
