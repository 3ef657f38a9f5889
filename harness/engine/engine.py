"""`ReferenceEngine`: mParticle audience messages in, Graph API calls out.

`handle` validates a message against its schema and reads every setting it needs
before changing anything, so an invalid message raises (`InvalidMessageError`,
`SettingsError`) and leaves the engine as it was. Valid messages update the
connections (one per mParticle audience id), and every call ends by flushing the
connections whose bulk queue is due on the engine's clock.
"""

import itertools
import logging

import httpx

from fake_graph_api.keys import MAX_ROWS_PER_REQUEST
from harness.engine import messages
from harness.engine.connection import Connection
from harness.engine.errors import InvalidMessageError
from harness.engine.graph import GraphClient
from harness.engine.settings import ConnectionSettings, parse_settings

logger = logging.getLogger("harness.engine")

CONTROL_RESPONSE = "fbca_control_response"


class ReferenceEngine:
    """The reference forwarding engine; one instance serves many connections."""

    # The Graph client class each connection talks through; a seam for variants.
    graph_client: type[GraphClient] = GraphClient

    def __init__(
        self,
        graph_url: str,
        *,
        clock,
        http: httpx.Client | None = None,
        api_version: str = "v19.0",
        max_rows_per_request: int = MAX_ROWS_PER_REQUEST,
    ) -> None:
        self.graph_url = graph_url
        self.clock = clock
        self.api_version = api_version
        self.connections: dict[int, Connection] = {}
        self._http = http or httpx.Client(base_url=graph_url, timeout=60.0)
        self._max_rows = max_rows_per_request
        self._sessions = itertools.count(int(clock.now() * 1000) * 1000)

    # the message interface ------------------------------------------------------

    def handle(self, message: dict) -> dict:
        """Answer one mParticle audience message or `fbca_control` message."""
        message_type = messages.validate(message)
        handler = {
            "audience_subscription_request": self._subscription,
            "audience_membership_change_request": self._membership,
            "fbca_control": self._control,
        }[message_type]
        answer = handler(message)
        self._flush_due()
        return answer

    def advance(self, seconds: float) -> None:
        """Move the clock on, then flush every connection whose queue is due."""
        self.clock.advance(seconds)
        self._flush_due()

    def flush(self) -> None:
        """Flush every connection that is not faulted, due or not."""
        for connection in list(self.connections.values()):
            connection.flush()

    def resume(self, audience_id: int | None = None) -> None:
        """Resume one faulted connection, or all of them."""
        if audience_id is not None and audience_id not in self.connections:
            raise InvalidMessageError(
                "$.audience_id", f"no connection for mParticle audience {audience_id}"
            )
        for connection in list(self.connections.values()):
            if audience_id in (None, connection.audience_id) and connection.faulted:
                connection.resume()
        self._forget_removed()

    def reset(self) -> None:
        """Forget every connection and everything queued, as if just started."""
        self.connections.clear()

    def status(self) -> dict:
        connections = [c.status() for c in self.connections.values()]
        return {"type": CONTROL_RESPONSE, "connections": connections}

    # subscription ---------------------------------------------------------------

    def _subscription(self, message: dict) -> dict:
        audience_id = message["audience_id"]
        action = message["action"]
        subscription_settings = message.get("audience_subscription_settings", {})
        settings = None
        if action != "remove" or audience_id not in self.connections:
            settings = self._settings(message["account"], subscription_settings)

        connection = self.connections.get(audience_id)
        if action == "remove":
            connection = connection or self._new_connection_for(message, settings)
            connection.remove()
            self._forget_removed()
        elif connection is None:
            connection = self._connect(message, settings)
        else:
            connection.change_settings(
                settings,
                subscription_settings,
                message["audience_name"],
                self._graph_for(settings),
            )

        answer_settings = dict(subscription_settings)
        if connection is not None and not connection.removed:
            answer_settings.update(connection.downstream_settings())
        return messages.response(
            message,
            "audience_subscription_response",
            audience_subscription_settings=answer_settings,
        )

    def _connect(self, message: dict, settings: ConnectionSettings) -> Connection:
        connection = self._new_connection_for(message, settings)
        connection.connect()
        return connection

    def _new_connection_for(self, message: dict, settings) -> Connection:
        """A connection from a subscription message, not yet connected."""
        return self._new_connection(
            audience_id=message["audience_id"],
            account_id=message["account"]["account_id"],
            name=message["audience_name"],
            settings=settings,
            subscription_settings=message.get("audience_subscription_settings", {}),
        )

    def _new_connection(
        self, *, audience_id, account_id, name, settings, subscription_settings
    ) -> Connection:
        connection = Connection(
            audience_id=audience_id,
            account_id=account_id,
            name=name,
            settings=settings,
            subscription_settings=subscription_settings,
            graph=self._graph_for(settings),
            clock=self.clock,
            next_session_id=lambda: next(self._sessions),
            max_rows=self._max_rows,
        )
        self.connections[audience_id] = connection
        return connection

    def _forget_removed(self) -> None:
        for audience_id, connection in list(self.connections.items()):
            if connection.removed and not connection.faulted:
                del self.connections[audience_id]

    # membership -----------------------------------------------------------------

    def _membership(self, message: dict) -> dict:
        account = message["account"]
        changes = messages.membership_changes(message)
        touched = [change.audience_id for change in changes] or [
            c.audience_id
            for c in self.connections.values()
            if c.account_id == account["account_id"]
        ]
        plan = self._plan_membership(account, changes, touched)

        for audience_id, (settings, name, subscription_settings) in plan.items():
            self._apply_plan(
                audience_id, account, settings, name, subscription_settings
            )
        for change in changes:
            self.connections[change.audience_id].enqueue(change)

        suspend = any(self.connections[a].faulted for a in touched)
        return messages.response(
            message, "audience_membership_change_response", suspend_subscription=suspend
        )

    def _plan_membership(self, account: dict, changes, touched: list[int]) -> dict:
        """Settings, name and subscription settings of every touched connection.

        Everything is read before anything changes, so a bad setting or a missing
        name raises with the engine untouched.
        """
        plan: dict[int, tuple[ConnectionSettings, str, dict]] = {}
        for audience_id in touched:
            connection = self.connections.get(audience_id)
            if connection is not None and audience_id not in plan:
                stored = connection.subscription_settings
                plan[audience_id] = (
                    self._settings(account, stored),
                    connection.name,
                    stored,
                )
        for change in changes:
            if change.audience_id in plan:
                continue
            if not change.audience_name:
                raise InvalidMessageError(
                    f"{change.path}.audience_name",
                    f"is required: the engine has no subscription for audience "
                    f"{change.audience_id}",
                )
            plan[change.audience_id] = (
                self._settings(account, change.subscription_settings),
                change.audience_name,
                change.subscription_settings,
            )
        return plan

    def _apply_plan(self, audience_id, account, settings, name, subscription_settings):
        """Connect an unseen audience, or take fresh account settings (a new token)."""
        connection = self.connections.get(audience_id)
        if connection is None:
            connection = self._new_connection(
                audience_id=audience_id,
                account_id=account["account_id"],
                name=name,
                settings=settings,
                subscription_settings=subscription_settings,
            )
            connection.connect()
        elif settings != connection.settings:
            connection.use_graph(self._graph_for(settings), settings)

    # control --------------------------------------------------------------------

    def _control(self, message: dict) -> dict:
        action = message["action"]
        if action == "status":
            return self.status()
        if action == "advance":
            self.advance(message["seconds"])
        elif action == "flush":
            self.flush()
        elif action == "reset":
            self.reset()
        else:
            self.resume(message.get("audience_id"))
        return {"type": CONTROL_RESPONSE, "ok": True}

    # helpers --------------------------------------------------------------------

    def _settings(
        self, account: dict, subscription_settings: dict
    ) -> ConnectionSettings:
        return parse_settings(account["account_settings"], subscription_settings)

    def _graph_for(self, settings: ConnectionSettings) -> GraphClient:
        return self.graph_client(
            self._http,
            clock=self.clock,
            ad_account=settings.ad_account_id,
            token=settings.access_token,
            api_version=settings.graph_api_version or self.api_version,
            base_url=settings.graph_base_url or self.graph_url,
        )

    def _flush_due(self) -> None:
        for connection in list(self.connections.values()):
            connection.flush_if_due()
