"""Target materials: elements (PDG atomic and nuclear properties, data/targets.csv) and
compounds or sampling calorimeters made of them (data/materials.yaml)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from leptoportal.config import data_table
from leptoportal.constants import AMU_GEV, M_E, N_A
from leptoportal.errors import InputError, require_choice, require_range


@dataclass(frozen=True)
class Target:
    """A target material: Z, A (g/mol), density (g/cm^3), radiation length X0 (g/cm^2)."""

    name: str
    Z: int
    A: float
    density_g_cm3: float
    X0_g_cm2: float
    description: str = ""
    #: mass number and atomic mass (u) of the element's most abundant isotope
    isotope_A: int = 0
    isotope_mass_u: float = 0.0
    #: the nucleus of the kinematics: "element" (the natural mixture, mass A x u) or
    #: "isotope" (the most abundant isotope, as in event files)
    nucleus: str = "element"

    @property
    def nucleus_mass(self) -> float:
        """Nucleus mass in GeV: A x u for the natural element; the isotope's atomic mass minus
        Z electron masses for ``nucleus="isotope"``."""
        if self.nucleus == "isotope":
            return self.isotope_mass_u * AMU_GEV - self.Z * M_E
        return self.A * AMU_GEV

    @property
    def nucleus_pdg(self) -> int:
        """PDG nuclear code 10LZZZAAAI (L = I = 0) of the most abundant isotope.

        >>> get_target("Pb").nucleus_pdg
        1000822080
        """
        return 1000000000 + self.Z * 10000 + self.isotope_A * 10

    def as_isotope(self) -> Target:
        """The same target with its most abundant isotope as the nucleus of the kinematics
        (what event files use: the nucleus code and the four-momenta agree).

        >>> round(get_target("Pb").as_isotope().nucleus_mass, 4)
        193.6871
        """
        return dataclasses.replace(self, nucleus="isotope")

    @property
    def X0_cm(self) -> float:
        return self.X0_g_cm2 / self.density_g_cm3

    @property
    def atoms_per_cm3(self) -> float:
        return N_A * self.density_g_cm3 / self.A


@cache
def targets() -> dict[str, Target]:
    """All targets of the package data file, by name."""
    out = {}
    for row in data_table("targets.csv"):
        out[row["name"]] = Target(
            row["name"], int(row["Z"]), float(row["A"]), float(row["density_g_cm3"]),
            float(row["X0_g_cm2"]), row["description"], int(row["isotope_A"]),
            float(row["isotope_mass_u"]),
        )
    return out


def get_target(name: str | Target) -> Target:
    """Target by name (case-sensitive chemical symbol), one-line error if unknown."""
    if isinstance(name, Target):
        return name
    table = targets()
    if name not in table:
        require_choice("target", name, tuple(table))
    return table[name]


@dataclass(frozen=True)
class Material:
    """A target made of several elements: a compound or a sampling calorimeter.

    ``components`` are (element, mass fraction) pairs summing to 1; the radiation length is
    1/X0 = sum_k w_k / X0_k (PDG, "Passage of particles through matter", eq. 34.28).
    Production happens on each element's nuclei: a yield sums the elements with their number
    of atoms per gram, w_k N_A / A_k. A single element is a material with one component.

    Example:

        Material.by_formula("PbWO4", {"Pb": 1, "W": 1, "O": 4}, 8.28).X0_g_cm2   # 7.39
        Material.by_layers("ecal", [("Pb", 0.15), ("polystyrene", 0.15)])
    """

    name: str
    components: tuple[tuple[Target, float], ...]
    density_g_cm3: float
    description: str = ""

    @property
    def X0_g_cm2(self) -> float:
        if len(self.components) == 1:
            return self.components[0][0].X0_g_cm2
        return 1.0 / sum(w / t.X0_g_cm2 for t, w in self.components)

    @property
    def X0_cm(self) -> float:
        return self.X0_g_cm2 / self.density_g_cm3

    def atom_fractions(self) -> list[tuple[Target, float]]:
        """(element, fraction of the material's atoms): w_k / A_k normalised.

        >>> [(t.name, round(f, 4)) for t, f in get_material("PbWO4").atom_fractions()]
        [('Pb', 0.1667), ('W', 0.1667), ('O', 0.6667)]
        """
        per_gram = [(t, w / t.A) for t, w in self.components]
        total = sum(x for _, x in per_gram)
        return [(t, x / total) for t, x in per_gram]

    def atoms_per_cm2_per_x0(self) -> list[tuple[Target, float]]:
        """(element, atoms of that element per cm^2 in one radiation length of material)."""
        x0 = self.X0_g_cm2
        return [(t, N_A * x0 / t.A if w == 1.0 else w * N_A * x0 / t.A)
                for t, w in self.components]

    @classmethod
    def element(cls, target: Target) -> Material:
        return cls(target.name, ((target, 1.0),), target.density_g_cm3, target.description)

    @classmethod
    def by_mass(cls, name: str, fractions: dict[str, float], density: float,
                description: str = "") -> Material:
        """From element mass fractions (normalised here) and a density (g/cm^3)."""
        density = require_range("density", density, 0.0, 30.0, lo_open=True, unit="g/cm^3")
        if not fractions:
            raise InputError(f"material {name!r} has no components")
        vals = {k: require_range(f"mass fraction of {k}", v, 0.0, None, lo_open=True)
                for k, v in fractions.items()}
        # relative weights of any size: scaled by the largest first (no overflow of the sum)
        largest = max(vals.values())
        scaled = {k: v / largest for k, v in vals.items()}
        total = sum(scaled.values())
        comps = tuple((get_target(k), v / total) for k, v in scaled.items())
        return cls(name, comps, density, description)

    @classmethod
    def by_formula(cls, name: str, atoms: dict[str, float], density: float,
                   description: str = "") -> Material:
        """From a chemical formula (atoms per molecule) and a density (g/cm^3)."""
        masses = {}
        for k, n in atoms.items():
            n = require_range(f"atoms of {k}", n, 0.0, MAX_ATOMS, lo_open=True)
            masses[k] = n * get_target(k).A
        return cls.by_mass(name, masses, density, description)

    @classmethod
    def by_layers(cls, name: str, layers: list[Any], description: str = "") -> Material:
        """From layers (material or element name, thickness in cm) of a sampling structure,
        averaged over one period (mass fractions and mean density)."""
        if not layers:
            raise InputError(f"material {name!r} has no layers")
        mass: dict[str, tuple[Target, float]] = {}
        total_mass, total_len = 0.0, 0.0
        for layer in layers:
            if not isinstance(layer, list | tuple) or len(layer) != 2:
                raise InputError(f"layer {layer!r} of {name!r} is not [material, thickness_cm]")
            mat = get_material(str(layer[0]))
            thick = require_range(f"thickness of {layer[0]}", layer[1], *LAYER_CM,
                                  unit="cm")
            m = mat.density_g_cm3 * thick
            total_mass += m
            total_len += thick
            for t, w in mat.components:
                prev = mass.get(t.name, (t, 0.0))[1]
                mass[t.name] = (t, prev + w * m)
        comps = tuple((t, m / total_mass) for t, m in mass.values())
        return cls(name, comps, total_mass / total_len, description)


#: atoms of an element in one formula unit (a polymer's repeat unit stays far below)
MAX_ATOMS = 1e6
#: thickness of a layer of a sampling structure (cm): from a nanometre to a kilometre
LAYER_CM = (1e-7, 1e5)


def _material_from_spec(name: str, spec: dict[str, Any]) -> Material:
    if not isinstance(spec, dict):
        raise InputError(f"material {name!r}: give formula + density, mass + density or layers")
    desc = str(spec.get("description", ""))
    kinds = [k for k in ("formula", "mass", "layers") if k in spec]
    if len(kinds) != 1:
        raise InputError(f"material {name!r}: give exactly one of formula, mass or layers")
    if kinds[0] == "layers":
        return Material.by_layers(name, spec["layers"], desc)
    parts = spec[kinds[0]]
    if not isinstance(parts, dict) or "density" not in spec:
        raise InputError(f"material {name!r}: {kinds[0]} needs a mapping and a density")
    build = Material.by_formula if kinds[0] == "formula" else Material.by_mass
    return build(name, parts, spec["density"], desc)


@cache
def _material_specs() -> dict[str, Any]:
    text = resources.files("leptoportal").joinpath("data/materials.yaml").read_text()
    returned: dict[str, Any] = yaml.safe_load(text)
    return returned


def material_names() -> list[str]:
    """Elements and compound / sampling materials known by name."""
    return list(targets()) + list(_material_specs())


def get_material(name: str | Target | Material | dict[str, Any]) -> Material:
    """A material by name (an element of targets.csv or an entry of materials.yaml), or from
    a specification mapping ({formula|mass: {...}, density: ...} or {layers: [...]})."""
    if isinstance(name, Material):
        return name
    if isinstance(name, Target):
        return Material.element(name)
    if isinstance(name, dict):
        return _material_from_spec(str(name.get("name", "custom")), name)
    if name in targets():
        return Material.element(targets()[name])
    specs = _material_specs()
    if name not in specs:
        require_choice("target", name, tuple(material_names()))
    return _material_from_spec(name, specs[name])


__all__ = [
    "get_material", "get_target", "Material", "material_names", "Target", "targets",
]


def __dir__() -> list[str]:
    return __all__
