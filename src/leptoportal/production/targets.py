"""Target materials (PDG atomic and nuclear properties, data/targets.csv)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from leptoportal.constants import AMU_GEV, N_A
from leptoportal.errors import InputError


@dataclass(frozen=True)
class Target:
    """A target material: Z, A (g/mol), density (g/cm^3), radiation length X0 (g/cm^2)."""

    name: str
    Z: int
    A: float
    density_g_cm3: float
    X0_g_cm2: float
    description: str = ""

    @property
    def nucleus_mass(self) -> float:
        """Nucleus mass in GeV, approximated as A x u."""
        return self.A * AMU_GEV

    @property
    def X0_cm(self) -> float:
        return self.X0_g_cm2 / self.density_g_cm3

    @property
    def atoms_per_cm3(self) -> float:
        return N_A * self.density_g_cm3 / self.A


@cache
def targets() -> dict[str, Target]:
    """All targets of the package data file, by name."""
    text = resources.files("leptoportal").joinpath("data/targets.csv").read_text()
    out = {}
    for row in csv.DictReader(text.splitlines()):
        out[row["name"]] = Target(
            row["name"], int(row["Z"]), float(row["A"]), float(row["density_g_cm3"]),
            float(row["X0_g_cm2"]), row["description"],
        )
    return out


def get_target(name: str | Target) -> Target:
    """Target by name (case-sensitive chemical symbol), one-line error if unknown."""
    if isinstance(name, Target):
        return name
    table = targets()
    if name not in table:
        raise InputError(f"target = {name!r} is not one of: {', '.join(table)}")
    return table[name]
