"""Benchmark: our normalise-and-hash against the official SDK's format_params.

All sides turn the same multi-key rows (EMAIL, PHONE, FN, LN, CT, ST, ZIP, COUNTRY,
GEN; Faker en_US, fixed seed) into the cells of a users payload: the SDK's
`format_params` on all rows, our `row_cells` on each row, and our `cell` on each
value (as the reference engine and the load generator call it). The sides run
`--repeat` times, alternately, and each one's best run in CPU time counts. Our
caches are cleared before every run, so repeats are reused only within a run.

    /work/venv/bin/python benchmarks/bench_normalise.py --rows 100000
"""

import argparse
import os
import platform
import random
import time

from facebook_business.adobjects.customaudience import CustomAudience
from faker import Faker

from harness.normalise import cell, clear_caches, row_cells

SCHEMA = ["EMAIL", "PHONE", "FN", "LN", "CT", "ST", "ZIP", "COUNTRY", "GEN"]
_GENDERS = ("Male", "female", "M", "F", "woman", "")
_COUNTRIES = ("US", "us", "United States", "USA")


def multi_key_rows(count: int, *, seed: int) -> list[list[str]]:
    """`count` rows of raw values in SCHEMA order, as people type them."""
    fake = Faker("en_US")
    fake.seed_instance(seed)
    chance = random.Random(seed)
    return [_row(fake, chance) for _ in range(count)]


def _row(fake: Faker, chance: random.Random) -> list[str]:
    email = fake.email()
    return [
        email.upper() if chance.random() < 0.2 else f" {email} ",
        fake.phone_number(),
        fake.first_name(),
        fake.last_name(),
        fake.city(),
        fake.state() if chance.random() < 0.5 else fake.state_abbr(),
        fake.zipcode_plus4() if chance.random() < 0.3 else fake.zipcode(),
        chance.choice(_COUNTRIES),
        chance.choice(_GENDERS),
    ]


def ours(rows: list[list[str]]) -> list[list[object]]:
    """Our cells: each row's COUNTRY is the context for PHONE, ST and ZIP."""
    country_at = SCHEMA.index("COUNTRY")
    return [row_cells(SCHEMA, row, country=row[country_at]) for row in rows]


def ours_per_cell(rows: list[list[str]]) -> list[list[object]]:
    """Our cells one value at a time, the way the engine builds a row."""
    country_at = SCHEMA.index("COUNTRY")
    return [
        [
            cell(key, value, country=row[country_at])
            for key, value in zip(SCHEMA, row, strict=True)
        ]
        for row in rows
    ]


def sdk(rows: list[list[str]]) -> dict:
    """The official SDK's cells (list schemas need is_raw=True)."""
    return CustomAudience.format_params(SCHEMA, rows, is_raw=True)


def best_seconds(rows, *, repeat: int) -> dict[str, float]:
    """Best CPU seconds of each side, run alternately so load hits all alike."""
    sides = {"official SDK": sdk, "row_cells": ours, "cell": ours_per_cell}
    times = {name: [] for name in sides}
    for _ in range(repeat):
        for name, run in sides.items():
            clear_caches()
            times[name].append(_seconds(run, rows))
    return {name: min(seconds) for name, seconds in times.items()}


def _seconds(run, rows) -> float:
    """CPU seconds of this process: fairer than wall time on a shared machine."""
    started = time.process_time()
    run(rows)
    return time.process_time() - started


def machine() -> str:
    """CPU count and model, Python version, and the load while we ran."""
    model = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{figure:.2f}" for figure in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, "
        f"load average {load}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()

    rows = multi_key_rows(options.rows, seed=options.seed)
    best = best_seconds(rows, repeat=options.repeat)

    print(f"{machine()}; {options.rows:,} rows x {len(SCHEMA)} columns")
    for name, seconds in best.items():
        rate = options.rows / seconds
        ratio = best["official SDK"] / seconds
        print(f"{name:>13}: {seconds:6.2f} CPU s {rate:>9,.0f} rows/s {ratio:5.2f}x")


if __name__ == "__main__":
    main()
