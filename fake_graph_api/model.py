"""The fake's state as plain records: ad accounts, tokens, audiences, upload sessions.

No behaviour beyond small derived views (the control-API dict of an audience, its
size as Graph would report it); `store.py` changes them under its lock.
"""

from dataclasses import dataclass, field

from fake_graph_api.members import MemberSet

OPERATION_STATUS = {
    0: "Status not available",
    200: "Normal",
    414: "Replace in progress",
    415: "Replace failed",
    441: "This audience is still being populated",
    471: "This audience has been flagged for integrity review",
}
DELIVERY_READY = {"code": 200, "description": "This audience is ready for use."}
DELIVERY_TOO_SMALL = {
    "code": 300,
    "description": "This audience is too small to use for advertising.",
}
ANY_AD_ACCOUNT = "*"  # a token set up without `ad_accounts` may use every one
SMALL_AUDIENCE = 100  # modelled: Meta advises lists of at least 100 people


@dataclass
class AdAccount:
    id: str
    tos_accepted: bool = True
    audience_limit: int = 500
    app_secret: str | None = None
    existing_audiences: int = 0
    removal_min_size: int | None = None
    calls_per_hour: int | None = 5000

    @property
    def digits(self) -> str:
        return self.id.removeprefix("act_")

    def settings(self) -> dict:
        return {
            "id": self.id,
            "tos_accepted": self.tos_accepted,
            "audience_limit": self.audience_limit,
            "app_secret": None if self.app_secret is None else "<redacted>",
            "existing_audiences": self.existing_audiences,
            "removal_min_size": self.removal_min_size,
            "calls_per_hour": self.calls_per_hour,
        }


@dataclass
class Token:
    token: str
    ad_accounts: tuple[str, ...] = ()
    access: str = "full"
    expired: bool = False
    expires_at: float | None = None

    def may_use(self, account_id: str) -> bool:
        return ANY_AD_ACCOUNT in self.ad_accounts or account_id in self.ad_accounts

    def is_expired(self, now: float) -> bool:
        return self.expired or (self.expires_at is not None and now >= self.expires_at)

    def redacted(self) -> dict:
        return {
            "token": redact(self.token),
            "ad_accounts": list(self.ad_accounts),
            "access": self.access,
            "expired": self.expired,
            "expires_at": self.expires_at,
        }


@dataclass
class UploadSession:
    session_id: str
    started_at: float
    replace: bool = False
    num_received: int = 0
    num_invalid_entries: int = 0
    last_batch_seq: int = 0
    finished: bool = False
    timed_out: bool = False
    staged: MemberSet | None = None


@dataclass
class Audience:
    id: str
    ad_account: str
    name: str
    seq: int
    time_created: float
    subtype: str = "CUSTOM"
    description: str = ""
    customer_file_source: str | None = None
    is_value_based: bool = False
    retention_days: int = 0
    data_source_type: str = "UNKNOWN"
    data_source_sub_type: str | None = None
    operation_status: int = 200
    deleted: bool = False
    time_updated: float = 0.0
    time_content_updated: float = 0.0
    members: MemberSet = field(default_factory=MemberSet)
    sessions: dict[str, UploadSession] = field(default_factory=dict)
    replace_session: str | None = None

    def data_source(self) -> dict:
        source = {"type": self.data_source_type}
        if self.data_source_sub_type:
            source["sub_type"] = self.data_source_sub_type
        source["creation_params"] = "[]"
        return source

    def approximate_count(self, now: float, processing_seconds: float) -> int:
        """-1 until the last change is processed on the virtual clock, as recorded."""
        if now < self.time_content_updated + processing_seconds:
            return -1
        return len(self.members)

    def delivery_status(self, now: float, processing_seconds: float) -> dict:
        if self.approximate_count(now, processing_seconds) < SMALL_AUDIENCE:
            return DELIVERY_TOO_SMALL
        return DELIVERY_READY

    def operation(self) -> dict:
        code = self.operation_status
        return {"code": code, "description": OPERATION_STATUS.get(code, "Unknown")}

    def control_view(self) -> dict:
        return {
            "id": self.id,
            "ad_account": self.ad_account,
            "name": self.name,
            "description": self.description,
            "subtype": self.subtype,
            "customer_file_source": self.customer_file_source,
            "is_value_based": self.is_value_based,
            "data_source": {
                "type": self.data_source_type,
                "sub_type": self.data_source_sub_type,
            },
            "operation_status": self.operation(),
            "deleted": self.deleted,
            "time_created": self.time_created,
            "time_updated": self.time_updated,
            "member_count": len(self.members),
        }


def redact(token: str) -> str:
    """A token as it may appear in dumps and logs: never the secret itself."""
    return "<redacted>"
