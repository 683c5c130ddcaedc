"""Regenerate the bundled demo extracts in ``datasets/demo/``.

Run from anywhere::

    python -m htwork.simulate.make_demo            # writes <repo>/datasets/demo/
    python -m htwork.simulate.make_demo --out DIR

Three files, all synthetic (seed 20261125, 5,000 records each):

``cases.csv``
    The input standard, UTF-8, every agency of every country.
``cases_kh_identification_form.xlsx``
    Records of Cambodian agencies in the bilingual Khmer/English register layout.
``cases_th_cross_ministerial.csv``
    Records of Thai agencies as a Windows-874 CSV with Thai headers and Buddhist-Era dates.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from htwork.simulate.core import simulate
from htwork.simulate.write import write_extract

DEMO_SEED = 20261125
DEMO_N = 5000
#: File name per agency format (None: the input standard).
DEMO_FILES: dict[str | None, str] = {
    None: "cases.csv",
    "kh_identification_form": "cases_kh_identification_form.xlsx",
    "th_cross_ministerial": "cases_th_cross_ministerial.csv",
}


def default_folder() -> Path:
    """``datasets/demo`` of the repository htwork is installed from."""
    return Path(__file__).resolve().parents[2] / "datasets" / "demo"


def make_demo(out: str | Path | None = None, *, n: int = DEMO_N, seed: int = DEMO_SEED
              ) -> list[Path]:
    """Write the three demo extracts into ``out`` (default :func:`default_folder`).

    Returns
    -------
    list of Path
        The files written.
    """
    folder = Path(out) if out is not None else default_folder()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt, name in DEMO_FILES.items():
        df = simulate(n, seed, agency_format=fmt)
        written.append(write_extract(df, folder / name, agency_format=fmt))
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    p = argparse.ArgumentParser(prog="python -m htwork.simulate.make_demo",
                                description="Regenerate the synthetic demo extracts.")
    p.add_argument("--out", help="folder (default: the repository's datasets/demo)")
    p.add_argument("--n", type=int, default=DEMO_N)
    p.add_argument("--seed", type=int, default=DEMO_SEED)
    args = p.parse_args(argv)
    for path in make_demo(args.out, n=args.n, seed=args.seed):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
