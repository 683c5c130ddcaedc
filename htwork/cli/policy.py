"""``htwork policy``: the release policies, as YAML to read and edit.

``htwork policy list`` names the presets; ``htwork policy show NAME`` prints a preset (or checks
and prints a policy YAML file) as YAML that :func:`htwork.release.load_policy` reads back:
``htwork policy show ctdc_k11 > mine.yaml``, edit, then ``htwork release ... --policy mine.yaml``.
"""

from __future__ import annotations

import argparse

from htwork.cli._parser import Subparsers

__all__ = ["cmd_policy_list", "cmd_policy_show", "register"]


def cmd_policy_show(args: argparse.Namespace) -> int:
    """Print one policy as YAML (a preset by name, or a policy file, checked)."""
    import yaml

    from htwork.release.policy import load_policy

    policy = load_policy(args.name)
    header = (f"# Release policy {policy.name!r}: {policy.title}\n"
              "# Edit this file, then pass it to htwork release --policy FILE.\n"
              "# Keys: see htwork.release.Policy; thresholds: htwork.release.Thresholds.\n")
    print(header + yaml.safe_dump(policy.to_dict(), sort_keys=False, allow_unicode=True,
                                  width=100), end="")
    return 0


def cmd_policy_list(args: argparse.Namespace) -> int:
    """Print the preset policies, one a line."""
    from htwork.release.policy import PRESETS

    width = max(len(n) for n in PRESETS)
    for name, policy in PRESETS.items():
        print(f"{name:<{width}}  {policy.route:<10}  {policy.title}")
    return 0


def register(subparsers: Subparsers) -> None:
    """Add ``policy`` (``list``, ``show``) to the sub-commands."""
    p = subparsers.add_parser("policy", help="list the release policies, print one as YAML "
                              "to edit")
    p.set_defaults(func=cmd_policy_list)  # each action sets its own; list is the fallback
    sub = p.add_subparsers(dest="policy_command", required=True, metavar="ACTION")
    show = sub.add_parser("show", help="print a preset (or a policy file) as YAML to edit")
    show.add_argument("name", help="a preset (ctdc_k11, sds_resolution10, hdx_global_risk_3pct) "
                      "or a policy YAML file")
    show.set_defaults(func=cmd_policy_show)
    lst = sub.add_parser("list", help="the preset policies")
    lst.set_defaults(func=cmd_policy_list)
