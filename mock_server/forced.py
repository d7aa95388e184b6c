"""Answers a client forced with `Prefer`: a documented status, a named example, or generated data.

A forced answer is shaped from the spec alone and never reads or writes the store, so forcing a `201` on a
POST or a `205` on a DELETE changes nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from itertools import count
from typing import Any

from mock_server.fake import generate
from mock_server.hal import dumps
from mock_server.operations import Answer
from mock_server.prefer import Preferences
from mock_server.problems import PROBLEM_MEDIA_TYPE, ProblemCatalog, ProblemError, Violation
from mock_server.spec import Operation, ResponseSpec


def refused(message: str) -> ProblemError:
    return ProblemError(400, [Violation("header", "/prefer", message)], detail=message)


class ForcedAnswers:
    def __init__(self, operation: Operation, problems: ProblemCatalog, seed: int | None) -> None:
        self._operation = operation
        self._problems = problems
        self._seed = seed
        self._counter = count()
        self._where = f"{operation.method} {operation.path}"

    def answer(self, preferences: Preferences, invent: Callable[[random.Random], Any] | None = None) -> Answer:
        """`invent` makes up the operation's success body shaped like a stored one; else the schema alone is used."""
        response = self._response(preferences.code)
        if preferences.example is not None:
            answer = self._example(response, preferences.example)
        elif response.media_type == PROBLEM_MEDIA_TYPE and self._problems.documents(response.status):
            answer = Answer(response.status, self._problems.render(ProblemError(response.status)), PROBLEM_MEDIA_TYPE)
        elif response.schema is None:
            answer = Answer(response.status, b"", media_type=None)
        else:
            # Fresh data on every call; reproducible from the mock's seed and the call's number.
            rng = random.Random(f"{self._seed}:{self._operation.operation_id}:forced:{next(self._counter)}")
            success = self._operation.success
            shaped = invent is not None and success is not None and response.status == success.status
            body = invent(rng) if shaped and invent is not None else generate(response.schema, rng)
            answer = Answer(response.status, dumps(body), media_type=response.media_type)
        return answer

    def _response(self, code: int | None) -> ResponseSpec:
        documented = sorted(self._operation.responses)
        if code is None:
            success = self._operation.success
            if success is None:
                raise refused(f"{self._where} documents no 2xx answer to generate")
            return success
        if code not in self._operation.responses:
            listed = ", ".join(str(status) for status in documented)
            raise refused(f"code={code} is not documented for {self._where}; documented codes: {listed}")
        return self._operation.responses[code]

    def _example(self, response: ResponseSpec, name: str) -> Answer:
        where = f"{self._where} {response.status}"
        if not response.examples:
            raise refused(f"example={name}: the spec has no named examples for {where}")
        if name not in response.examples:
            raise refused(
                f"example={name}: no such example for {where}; named examples: {', '.join(response.examples)}"
            )
        return Answer(response.status, dumps(response.examples[name]), media_type=response.media_type)
