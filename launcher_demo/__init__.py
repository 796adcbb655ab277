"""The built-in demo county: a county identity provider and demo government platforms served on
127.0.0.1, for `launcher --demo`, headless commands and tests.

An optional extra of the launcher (``pip install 'yiduantong-launcher[demo]'``, which brings
Flask): the launcher finds it through the ``yiduantong.demo`` entry point (entry.py) and never
imports it by name."""

from launcher_demo.county import DemoCounty
from launcher_demo.plugin_dir import plugins_dir
from launcher_demo.scripted import sign_in, sign_in_scripted
from launcher_demo.users import DEMO_USERS, DemoUser

__all__ = ["DEMO_USERS", "DemoCounty", "DemoUser", "plugins_dir", "sign_in", "sign_in_scripted"]
