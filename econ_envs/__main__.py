"""``python -m econ_envs``: print the markdown table of registered environment ids;
``python -m econ_envs --readme README.md`` rewrites that table inside the README."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from econ_envs.registry import markdown_table

BEGIN, END = "<!-- env-table:begin -->", "<!-- env-table:end -->"


def readme_with_table(text: str) -> str:
    """``text`` with the block between the env-table markers replaced by the registry table."""
    block = f"{BEGIN}\n{markdown_table()}\n{END}"
    return re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m econ_envs", description=__doc__)
    parser.add_argument("--readme", type=Path, help="rewrite the env table in this README")
    args = parser.parse_args()
    if args.readme is None:
        print(markdown_table())
    else:
        args.readme.write_text(readme_with_table(args.readme.read_text()))


if __name__ == "__main__":
    main()
