"""The people who can sign in to the demo county: township and village staff with Chinese names."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoUser:
    """A demo account. The password is shown on the demo login page on purpose: it is a demo."""

    username: str
    password: str
    name: str
    title: str

    def get_user_id(self) -> str:
        """The OpenID ``sub`` (authlib's user model protocol)."""
        return self.username


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("zhangwei", "zw123456", "张伟", "城关镇综治办干事"),
    DemoUser("lina", "ln123456", "李娜", "东风社区网格员"),
    DemoUser("wangfang", "wf123456", "王芳", "城关镇党建办主任"),
)
"""DEMO_USERS[0] is the default account: most seeded tasks belong to it."""


def find_user(username: str) -> DemoUser | None:
    return next((u for u in DEMO_USERS if u.username == username), None)
