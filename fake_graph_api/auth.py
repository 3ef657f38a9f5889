"""Who is calling and what they may touch: token, expiry, appsecret_proof, access.

Order of checks, as Graph answers them: no token (104), unknown token (190),
expired token (190/463), then per object: an ad account or audience the token
cannot use answers 100/33 exactly as a missing object would (existence is never
revealed), a wrong or missing appsecret_proof on an account with an app secret
answers 100, and a read-only token that writes answers 200. Pure.
"""

import hashlib
import hmac
import time

from fake_graph_api.errors import GraphError
from fake_graph_api.model import AdAccount, Token


def token_text(params: dict, authorization: str | None) -> str | None:
    """The access token from the parameters or an `Authorization: Bearer` header."""
    token = params.get("access_token")
    if isinstance(token, str) and token:
        return token
    if authorization and authorization[:7].lower() == "bearer ":
        return authorization[7:].strip() or None
    return None


def authenticate(tokens: dict[str, Token], text: str | None, now: float) -> Token:
    if not text:
        raise GraphError("missing_token")
    token = tokens.get(text)
    if token is None:
        raise GraphError("invalid_token")
    if token.is_expired(now):
        expired_at = token.expires_at if token.expires_at is not None else now - 3600
        raise GraphError(
            "token_expired", expired_at=_graph_time(expired_at), now=_graph_time(now)
        )
    return token


def authorise(
    token: Token,
    account: AdAccount | None,
    params: dict,
    *,
    method: str,
    object_id: str,
    write: bool,
) -> None:
    """Refuse a call on `object_id` (in `account`) that this token may not make."""
    if account is None or not token.may_use(account.id):
        raise GraphError("object_not_found", method=method, object_id=object_id)
    if account.app_secret:
        check_proof(account.app_secret, token.token, params.get("appsecret_proof"))
    if write and token.access != "full":
        raise GraphError("permission_denied")


def check_proof(app_secret: str, token: str, proof) -> None:
    if not proof:
        raise GraphError("missing_appsecret_proof")
    expected = appsecret_proof(app_secret, token)
    if not isinstance(proof, str) or not hmac.compare_digest(expected, proof):
        raise GraphError("invalid_appsecret_proof")


def appsecret_proof(app_secret: str, token: str) -> str:
    """Lowercase hex HMAC-SHA256 of the token keyed with the app secret (DOC-SECURE)."""
    return hmac.new(app_secret.encode(), token.encode(), hashlib.sha256).hexdigest()


def _graph_time(seconds: float) -> str:
    return time.strftime("%A, %d-%b-%y %H:%M:%S UTC", time.gmtime(seconds))
