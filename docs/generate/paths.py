"""Where the generated pages, pictures and copied plots go, and where the board plots are."""

from __future__ import annotations

from pathlib import Path

import leaderboards

#: the documentation's source folder (``docs/``, or the copy a test builds)
DOCS = Path(__file__).parent.parent
#: the generated pages (git-ignored; rewritten before every build)
OUT = DOCS / "_generated"
#: the pictures of the environment pages, drawn at build time
PICTURES = OUT / "pictures"
#: the official boards' plots in the checkout, rendered by ``econ-leaderboard --results
#: leaderboards/results render --out leaderboards`` (with the repository's leaderboards/README.md)
PLOTS = Path(leaderboards.__file__).parent / "plots"
