"""Reading CAS validation answers: the shapes CAS servers send, and XML attacks refused.

Parsing only, no server: these answers are hand-written because no real CAS server sends
malicious XML (the refusals below guard against a spoofed or compromised one)."""

from __future__ import annotations

import pytest

from launcher.core.auth.cas import CasClient
from launcher.core.errors import AuthError

CLIENT = CasClient("http://127.0.0.1:9/cas", 3)
NS = 'xmlns:cas="http://www.yale.edu/tp/cas"'


def test_attributes_in_both_common_shapes() -> None:
    user = CLIENT.parse_validation(
        f"""<cas:serviceResponse {NS}><cas:authenticationSuccess>
          <cas:user>lina</cas:user>
          <cas:attributes>
            <cas:name>李娜</cas:name>
            <cas:memberOf>网格员</cas:memberOf><cas:memberOf>党员</cas:memberOf>
            <cas:attribute name="title" value="社区网格员"/>
          </cas:attributes>
        </cas:authenticationSuccess></cas:serviceResponse>""".encode()
    )
    assert user.user == "lina"
    assert user.attribute("name") == "李娜"
    assert user.attributes["memberOf"] == ["网格员", "党员"]
    assert user.attribute("title") == "社区网格员"
    assert user.attribute("missing") == ""


def test_a_failure_names_the_cas_code_and_message() -> None:
    with pytest.raises(AuthError, match="INVALID_TICKET: Ticket ST-1 not recognized"):
        CLIENT.parse_validation(
            f"""<cas:serviceResponse {NS}><cas:authenticationFailure code="INVALID_TICKET">
              Ticket ST-1 not recognized
            </cas:authenticationFailure></cas:serviceResponse>"""
        )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<html>Login</html>", "not a cas:serviceResponse"),
        ("not xml at all", "not valid CAS XML"),
        (f"<cas:serviceResponse {NS}><cas:authenticationSuccess/></cas:serviceResponse>",
         "names no user"),
        (
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            f"<cas:serviceResponse {NS}><cas:authenticationSuccess><cas:user>&b;</cas:user>"
            "</cas:authenticationSuccess></cas:serviceResponse>",
            "not valid CAS XML",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            f"<cas:serviceResponse {NS}><cas:authenticationSuccess><cas:user>&x;</cas:user>"
            "</cas:authenticationSuccess></cas:serviceResponse>",
            "not valid CAS XML",
        ),
    ],
)
def test_broken_or_malicious_answers_are_refused(body: str, message: str) -> None:
    with pytest.raises(AuthError, match=message) as refused:
        CLIENT.parse_validation(body)
    assert refused.value.reason == "refused"
