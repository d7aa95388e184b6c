from __future__ import annotations

import pytest

from contract_tests.headers import HeaderError, Masker, parse_header
from contract_tests.report import SentRequest, curl_command
from contract_tests.settings import Header

ENV = {"TOKEN": "tok-123456", "TENANT": "acme"}


def test_literal_value() -> None:
    assert parse_header("X-Tenant: acme", ENV) == Header("X-Tenant", "acme")


def test_env_prefix_reads_the_variable() -> None:
    header = Header("Authorization", "tok-123456", "${TOKEN}", ("tok-123456",))
    assert parse_header("Authorization: env:TOKEN", ENV) == header


def test_placeholder_inside_a_value() -> None:
    header = parse_header("Authorization: Bearer ${TOKEN}", ENV)
    assert header == Header("Authorization", "Bearer tok-123456", "Bearer ${TOKEN}", ("tok-123456",))


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("Authorization", "invalid header 'Authorization': expected 'Name: value'"),
        (": value", "invalid header '': expected 'Name: value'"),
        ("Bad Name: x", "invalid header 'Bad Name': expected 'Name: value'"),
        ("Authorization: env:MISSING", "header 'Authorization' reads ${MISSING}, which is not set in the environment"),
    ],
)
def test_bad_header_is_a_clear_error(option: str, message: str) -> None:
    with pytest.raises(HeaderError) as error:
        parse_header(option, ENV)
    assert str(error.value) == message


def test_curl_shows_references_or_masks_but_never_values() -> None:
    headers = (parse_header("Authorization: Bearer ${TOKEN}", ENV), parse_header("X-Api-Key: literal-key", ENV))
    masker = Masker(headers)
    request = SentRequest(
        "POST",
        "http://api.test/customers",
        {"Authorization": "Bearer tok-123456", "X-Api-Key": "literal-key", "User-Agent": "python-requests"},
        b'{"label": "echo literal-key"}',
    )
    curl = curl_command(request, masker)
    assert curl == (
        "curl -X POST -H \"Authorization: Bearer ${TOKEN}\" -H 'X-Api-Key: ***' "
        '-d \'{"label": "echo ***"}\' http://api.test/customers'
    )
    assert masker.text("server said tok-123456") == "server said ***"
