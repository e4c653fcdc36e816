"""The leptonic scalar portal and its benchmark dark sector.

Portal Lagrangian (Gninenko & Krasnikov, arXiv:2202.04410, general form):

    L_portal = phi * mubar (C_S + C_P gamma5) e + h.c.

phi is a complex scalar with lepton numbers (L_e, L_mu) = (-1, +1). Named coupling patterns,
all normalised to one number ``h`` (the paper's h_emu for the chiral benchmark):

* ``chiral`` (default): C_S = C_P = h/2, i.e. ``h phi mubar P_R e`` (paper's benchmark);
* ``scalar``: C_S = h, C_P = 0;
* ``pseudoscalar``: C_S = 0, C_P = h.

Every lepton-flavour pair (`CouplingMatrix`): one operator per pair of flavours (i, j),
written in the canonical orientation (lighter lepton first, e < mu < tau),

    L = sum_(i <= j) phi lbar_j (C_S^ij + C_P^ij gamma5) l_i + h.c.,

so that the vertex of the transition l_i -> l_j is (C_S, C_P) and that of l_j -> l_i is the
hermitian conjugate (C_S^*, -C_P^*). Off-diagonal operators make phi complex with lepton
numbers L_j = +1, L_i = -1 (the paper's phi has (L_e, L_mu) = (-1, +1)): l_i^- -> l_j^- emits
phibar, l_j^- -> l_i^- emits phi, phi -> l_j^- l_i^+. A flavour-diagonal entry (i, i) describes a
real scalar with the Yukawa coupling -L = phi lbar_i (y_S + i y_P gamma5) l_i, i.e.
C_S = y_S, |C_P| = y_P; every rate of the package is quoted per final scalar state with the
vertex of the transition, so for the diagonal presets it is the rate of that real scalar.
Named matrices (`MODELS`): ``emu-chiral`` (the paper's benchmark, default), ``ee-scalar``,
``mumu-scalar``, ``mumu-pseudoscalar``, and of several entries (`MATRIX_MODELS`):
``mumu-emu`` (a muon-philic scalar with a small e-mu entry, whose rare decays
mu -> e gamma constrain it; `leptoportal.lfv`).

Dark sector (benchmark): Dirac fermions chi1, chi2 of equal mass m_chi with
``L_dark = g_D phi chi2bar (c_S + c_P gamma5) chi1 + h.c.``, alpha_D = g_D^2/(4 pi); by default
c_S = c_P = 1/2 and m_phi = 3 m_chi.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

from leptoportal import defaults
from leptoportal.constants import LEPTON_MASS, M_PHI_FLOOR, M_PHI_MIN
from leptoportal.errors import InputError, require_choice, require_complex, require_range

COUPLING_KINDS = ("chiral", "scalar", "pseudoscalar")
#: the defaults of the model (`leptoportal.defaults`, under the names the API has had)
DEFAULT_COUPLING = defaults.COUPLING
DEFAULT_MASS_RATIO = defaults.MASS_RATIO
DEFAULT_ALPHA_DARK = defaults.ALPHA_DARK
#: perturbativity limit on every coupling: |C_S|, |C_P| (and g_D c) <= sqrt(4 pi), i.e. a
#: coupling strength C^2/(4 pi) below 1 (tree-level partial-wave unitarity); commands warn
#: above 1
COUPLING_MAX = math.sqrt(4.0 * math.pi)
#: couplings above this get a warning from the commands
COUPLING_WARN = 1.0
#: lightest dark fermion accepted (GeV): 1 keV, far below any threshold of the package
M_CHI_MIN = 1e-6
#: largest m_phi accepted (GeV): the package's formulas are tree level and assume a light
#: portal; above this the fixed-target physics of the package is meaningless.
M_PHI_MAX = 100.0


@dataclass(frozen=True)
class Couplings:
    """Scalar and pseudoscalar couplings (C_S, C_P) of ``phi mubar (C_S + C_P g5) e``
    (complex, dimensionless, each at most sqrt(4 pi) in modulus).

    >>> Couplings.chiral(1e-3)
    Couplings(c_s=(0.0005+0j), c_p=(0.0005+0j))
    >>> Couplings.chiral(1e-3).norm2
    5e-07
    """

    c_s: complex
    c_p: complex

    def __post_init__(self) -> None:
        for name in ("c_s", "c_p"):
            z = require_complex(name.upper(), getattr(self, name))
            if abs(z) > COUPLING_MAX:
                raise InputError(f"{name.upper()} = {z!r} is outside the perturbative range "
                                 f"|{name.upper()}| <= sqrt(4 pi) = {COUPLING_MAX:.4g}")
            object.__setattr__(self, name, z)

    @classmethod
    def from_kind(cls, kind: str, h: float) -> Couplings:
        """Couplings of a named pattern normalised to ``h`` (see module docstring)."""
        h = require_range("h", h, -COUPLING_MAX, COUPLING_MAX)
        if kind == "chiral":
            return cls(h / 2.0, h / 2.0)
        if kind == "scalar":
            return cls(h, 0.0)
        if kind == "pseudoscalar":
            return cls(0.0, h)
        raise InputError(f"coupling = {kind!r} is not one of: {', '.join(COUPLING_KINDS)}",
                         parameters=("coupling",))

    @classmethod
    def resolve(cls, h: float | None = None, kind: str = DEFAULT_COUPLING,
                c_s: complex | str | None = None, c_p: complex | str | None = None,
                need_h: bool = True) -> Couplings:
        """Couplings from ``h`` with a named ``kind``, or explicit ``c_s``/``c_p`` (complex
        numbers or strings such as ``"1+2j"``) that ``h`` multiplies when given.

        With ``need_h=False`` a missing ``h`` means the unit pattern (h = 1).
        >>> Couplings.resolve(1e-3) == Couplings.chiral(1e-3)
        True
        >>> Couplings.resolve(c_s="1+2j")
        Couplings(c_s=(1+2j), c_p=0j)
        """
        require_choice("coupling", kind, COUPLING_KINDS)
        if c_s is not None or c_p is not None:
            base = cls(_complex_input("cs", c_s), _complex_input("cp", c_p))
            return base if h is None else base.scaled(require_range("h", h))
        if h is None:
            if need_h:
                raise InputError("h is required: give the coupling normalisation h, or "
                                 "explicit couplings cs/cp", parameters=("h", "cs", "cp"))
            h = 1.0
        return cls.from_kind(kind, h)

    @classmethod
    def chiral(cls, h: float) -> Couplings:
        """The paper's benchmark: C_S = C_P = h/2."""
        return cls.from_kind("chiral", h)

    @property
    def s2(self) -> float:
        """|C_S|^2."""
        return abs(self.c_s) ** 2

    @property
    def p2(self) -> float:
        """|C_P|^2."""
        return abs(self.c_p) ** 2

    @property
    def norm2(self) -> float:
        """|C_S|^2 + |C_P|^2 (equals h^2/2 for the chiral pattern)."""
        return self.s2 + self.p2

    def scaled(self, factor: float) -> Couplings:
        """Couplings multiplied by a real factor (all rates scale as factor^2)."""
        return Couplings(self.c_s * factor, self.c_p * factor)

    def conjugate_vertex(self) -> Couplings:
        """Couplings of the hermitian-conjugate vertex ``phi^* ebar (C_S^* - C_P^* g5) mu``."""
        return Couplings(self.c_s.conjugate(), -self.c_p.conjugate())


def default_pattern() -> Couplings:
    """The default couplings at h = 1: the e-mu operator with `DEFAULT_COUPLING`."""
    return Couplings.from_kind(DEFAULT_COUPLING, 1.0)


def _complex_input(name: str, value: complex | str | None) -> complex:
    if value is None:
        return 0j
    if isinstance(value, str):
        text = value.replace(" ", "")
        if not text:
            raise InputError(f"{name} = {value!r} is empty; allowed: a (complex) number",
                             parameters=(name,))
        value = text
    return require_complex(name, value)


def validate_m_phi(m_phi: float, matrix: CouplingMatrix | None = None,
                   open_lepton_decays: bool = False) -> float:
    """Reject m_phi outside (m_min, M_PHI_MAX] GeV, m_min = m_mu - m_e for the e-mu portal
    (below it mu -> e phi is open) or `CouplingMatrix.m_phi_min()` of ``matrix``; with
    ``open_lepton_decays`` m_min is `M_PHI_FLOOR` for every matrix (the bounds of
    `leptoportal.constraints` include the decay l_j -> l_i phi itself)."""
    if open_lepton_decays:
        lo = M_PHI_FLOOR
    else:
        lo = M_PHI_MIN if matrix is None else matrix.m_phi_min()
    return require_range("m_phi", m_phi, lo, M_PHI_MAX, lo_open=True, unit="GeV")


#: lepton flavours in canonical order (lighter first)
LEPTONS = tuple(LEPTON_MASS)


def _canonical_pair(i: str, j: str) -> tuple[str, str]:
    require_choice("lepton", i, LEPTONS)
    require_choice("lepton", j, LEPTONS)
    return (i, j) if LEPTONS.index(i) <= LEPTONS.index(j) else (j, i)


def _say_stored_as_conjugate(given: tuple[str, str], stored: tuple[str, str],
                             c: Couplings) -> None:
    """A notice that an entry given as (heavier, lighter) is kept as the hermitian conjugate
    vertex in the canonical order, with the couplings that order has (C_S*, -C_P*)."""
    import warnings

    def show(z: complex) -> str:
        return f"{z.real + 0.0:g}" if z.imag == 0 else f"{z:g}"

    warnings.warn(f"couplings: the entry {'-'.join(given)} (the vertex of {given[0]} -> "
                  f"{given[1]}) is stored as {'-'.join(stored)} with its hermitian conjugate, "
                  f"cs = {show(c.c_s)}, cp = {show(c.c_p)} (C_S* and -C_P*); give "
                  f"{'-'.join(stored)} to set that entry directly", stacklevel=3)


@dataclass(frozen=True)
class CouplingMatrix:
    """Portal couplings for every lepton-flavour pair (see the module docstring).

    ``operators`` maps a canonical pair (i, j) (e < mu < tau) to the vertex of l_i -> l_j.
    The vertex of the reverse transition is the conjugate one (C_S*, -C_P*):

    >>> CouplingMatrix.emu(Couplings.chiral(1e-3)).vertex("mu", "e")
    Couplings(c_s=(0.0005-0j), c_p=(-0.0005+0j))
    >>> CouplingMatrix.model("mumu-scalar", 1e-3).vertex("mu", "mu")
    Couplings(c_s=(0.001+0j), c_p=0j)
    """

    operators: tuple[tuple[tuple[str, str], Couplings], ...]

    def __post_init__(self) -> None:
        seen = set()
        for pair, c in self.operators:
            if pair != _canonical_pair(*pair):
                raise InputError(f"coupling pair {pair!r} must be written as "
                                 f"{_canonical_pair(*pair)!r} (lighter lepton first)")
            if pair in seen:
                raise InputError(f"coupling pair {pair!r} is given twice")
            if not isinstance(c, Couplings):
                raise InputError(f"couplings of {pair!r} = {c!r} are not Couplings")
            seen.add(pair)

    @classmethod
    def from_pairs(cls, pairs: dict[tuple[str, str], Couplings]) -> CouplingMatrix:
        """From {(i, j): Couplings}; a pair given as (heavier, lighter) is the vertex of that
        transition and is stored as its hermitian conjugate in canonical order."""
        ops: dict[tuple[str, str], Couplings] = {}
        for (i, j), c in pairs.items():
            key = _canonical_pair(i, j)
            if key in ops:
                raise InputError(f"coupling pair {key!r} is given twice")
            ops[key] = c if key == (i, j) else c.conjugate_vertex()
            if key != (i, j) and c.norm2 > 0:
                _say_stored_as_conjugate((i, j), key, ops[key])
        return cls(tuple(sorted(ops.items(), key=lambda kv: (LEPTONS.index(kv[0][0]),
                                                                LEPTONS.index(kv[0][1])))))

    @classmethod
    def emu(cls, couplings: Couplings) -> CouplingMatrix:
        """The paper's portal: one e-mu operator with vertex ``couplings`` for e -> mu."""
        return cls(((("e", "mu"), couplings),))

    @classmethod
    def model(cls, name: str, h: float = 1.0) -> CouplingMatrix:
        """A named matrix (`MODELS` or `MATRIX_MODELS`) normalised to ``h``."""
        require_choice("model", name, tuple(MODELS) + tuple(MATRIX_MODELS))
        if name in MATRIX_MODELS:
            h = require_range("h", h, -COUPLING_MAX, COUPLING_MAX)
            return cls.from_mapping(MATRIX_MODELS[name]).scaled(h)
        pair, kind = MODELS[name]
        return cls.from_pairs({pair: Couplings.from_kind(kind, h)})

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> CouplingMatrix:
        """From a YAML-style mapping ``{"e-mu": {"cs": 0.5, "cp": 0.5}, "mu-mu": {"cs": 1}}``
        (values: numbers or strings such as "1+2j"; a missing cs or cp is 0)."""
        if not isinstance(data, dict) or not data:
            raise InputError("a coupling matrix is a non-empty mapping like "
                             "{'e-mu': {'cs': 0.5, 'cp': 0.5}}")
        pairs = {}
        for key, val in data.items():
            parts = str(key).split("-")
            if len(parts) != 2:
                raise InputError(f"coupling pair {key!r} is not of the form 'e-mu'")
            if not isinstance(val, dict) or not set(val) <= {"cs", "cp"}:
                raise InputError(f"couplings of {key!r} = {val!r}: give a mapping with cs "
                                 "and/or cp")
            try:
                pairs[(parts[0], parts[1])] = Couplings(_complex_input("cs", val.get("cs")),
                                                        _complex_input("cp", val.get("cp")))
            except InputError as exc:  # an entry of the matrix, not the explicit cs / cp
                raise InputError(f"couplings: the entry {key}: {exc}",
                                 parameters=("couplings",)) from None
        return cls.from_pairs(pairs)

    def vertex(self, i: str, j: str) -> Couplings:
        """Vertex (C_S, C_P) of the transition l_i -> l_j (zero if no operator)."""
        key = _canonical_pair(i, j)
        for pair, c in self.operators:
            if pair == key:
                return c if key == (i, j) else c.conjugate_vertex()
        return Couplings(0.0, 0.0)

    @property
    def norm2(self) -> float:
        """Sum over operators of |C_S|^2 + |C_P|^2 (h^2/2 for a chiral unit pattern)."""
        return sum(c.norm2 for _, c in self.operators)

    def scaled(self, factor: float) -> CouplingMatrix:
        """Every coupling multiplied by a real factor."""
        return CouplingMatrix(tuple((p, c.scaled(factor)) for p, c in self.operators))

    def nonzero(self) -> list[tuple[tuple[str, str], Couplings]]:
        """The operators with a non-zero coupling."""
        return [(p, c) for p, c in self.operators if c.norm2 > 0]

    def m_phi_min(self) -> float:
        """Lowest m_phi of the valid domain: |m_i - m_j| of every e-mu-type (non-tau)
        off-diagonal operator (below it l_j -> l_i phi is open), else M_PHI_FLOOR."""
        lo = M_PHI_FLOOR
        for (i, j), _ in self.nonzero():
            if i != j and "tau" not in (i, j):
                lo = max(lo, abs(LEPTON_MASS[j] - LEPTON_MASS[i]))
        return lo

    def as_dict(self) -> dict[str, Any]:
        """{"e-mu": {"cs": ..., "cp": ...}, ...} (complex values kept)."""
        return {f"{i}-{j}": {"cs": c.c_s, "cp": c.c_p} for (i, j), c in self.operators}


#: named coupling matrices: model -> (canonical pair, coupling pattern of Couplings.from_kind)
MODELS = {
    "emu-chiral": (("e", "mu"), "chiral"),
    "ee-scalar": (("e", "e"), "scalar"),
    "mumu-scalar": (("mu", "mu"), "scalar"),
    "mumu-pseudoscalar": (("mu", "mu"), "pseudoscalar"),
}
DEFAULT_MODEL = "emu-chiral"
#: e-mu entry of ``mumu-emu`` relative to its mu-mu coupling (chiral, h_emu = 1e-5 g_mu):
#: small enough that the MEG II bound on mu -> e gamma crosses the muon g-2 band
MUMU_EMU_RATIO = 1e-5
#: named matrices of several entries at h = 1 (mappings as in `CouplingMatrix.from_mapping`)
MATRIX_MODELS: dict[str, dict[str, Any]] = {
    "mumu-emu": {"mu-mu": {"cs": 1.0},
                 "e-mu": {"cs": MUMU_EMU_RATIO / 2, "cp": MUMU_EMU_RATIO / 2}},
}


@dataclass(frozen=True)
class Portal:
    """The portal scalar: mass (GeV) and couplings, either the e-mu operator's
    `Couplings` (the paper's portal) or a `CouplingMatrix`."""

    m_phi: float
    couplings: Couplings | CouplingMatrix = field(default_factory=default_pattern)
    #: accept masses where a lepton decays into phi (`validate_m_phi()`)
    open_lepton_decays: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.couplings, Couplings | CouplingMatrix):
            raise InputError(f"couplings = {self.couplings!r} is not a Couplings object")
        object.__setattr__(self, "m_phi", validate_m_phi(self.m_phi, self.matrix,
                                                         self.open_lepton_decays))

    @property
    def matrix(self) -> CouplingMatrix:
        """The couplings as a matrix over flavour pairs."""
        return as_matrix(self.couplings)

    @classmethod
    def from_kind(cls, m_phi: float, h: float, kind: str = DEFAULT_COUPLING) -> Portal:
        """Portal with a named coupling pattern normalised to ``h``."""
        return cls(m_phi, Couplings.from_kind(kind, h))


def unit_pattern(kind: str | Couplings | CouplingMatrix) -> Couplings | CouplingMatrix:
    """Couplings for h = 1 of a named pattern (chiral, scalar, pseudoscalar), or explicit
    couplings / a matrix passed through (h then multiplies them)."""
    if isinstance(kind, Couplings | CouplingMatrix):
        return kind
    return Couplings.from_kind(kind, 1.0)


def as_matrix(couplings: Couplings | CouplingMatrix) -> CouplingMatrix:
    """A `CouplingMatrix`; plain `Couplings` are the e-mu operator."""
    if isinstance(couplings, CouplingMatrix):
        return couplings
    return CouplingMatrix.emu(couplings)


@dataclass(frozen=True)
class DarkSector:
    """Benchmark dark sector: chi1, chi2 Dirac fermions of mass m_chi coupled with g_D."""

    m_chi: float
    g_dark: float
    c_s: complex = 0.5
    c_p: complex = 0.5

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "m_chi", require_range("m_chi", self.m_chi, M_CHI_MIN, M_PHI_MAX, unit="GeV")
        )
        object.__setattr__(
            self, "g_dark", require_range("g_dark", self.g_dark, 0.0, 4.0 * math.pi)
        )
        object.__setattr__(self, "c_s", require_complex("c_S", self.c_s))
        object.__setattr__(self, "c_p", require_complex("c_P", self.c_p))

    @classmethod
    def from_alpha(cls, m_chi: float, alpha_dark: float, c_s: complex = 0.5,
                   c_p: complex = 0.5) -> DarkSector:
        """Dark sector from alpha_D = g_D^2 / (4 pi)."""
        a = require_range("alpha_dark", alpha_dark, 0.0, 4.0 * math.pi)
        return cls(m_chi, math.sqrt(4.0 * math.pi * a), c_s, c_p)

    @classmethod
    def benchmark(cls, m_phi: float, g_dark: float | None = None, alpha_dark: float | None = None,
                  ratio: float = DEFAULT_MASS_RATIO) -> DarkSector:
        """Benchmark with m_chi = m_phi / ratio (default ratio 3) and either g_D or alpha_D."""
        ratio = require_range("ratio", ratio, 0.1, 1000.0)
        m_chi = m_phi / ratio
        if (g_dark is None) == (alpha_dark is None):
            raise InputError("give exactly one of g_dark or alpha_dark")
        if alpha_dark is not None:
            return cls.from_alpha(m_chi, alpha_dark)
        return cls(m_chi, float(g_dark))  # type: ignore[arg-type]  # not None: checked above

    @classmethod
    def default(cls, m_phi: float) -> DarkSector:
        """The package's default dark sector, decided here once: the benchmark with alpha_D =
        `DEFAULT_ALPHA_DARK` and m_chi = m_phi / `DEFAULT_MASS_RATIO`.

        >>> DarkSector.default(0.3).alpha_dark
        0.1...
        """
        return cls.benchmark(m_phi, alpha_dark=DEFAULT_ALPHA_DARK)

    @property
    def alpha_dark(self) -> float:
        return self.g_dark**2 / (4.0 * math.pi)

    @property
    def couplings(self) -> Couplings:
        """Effective (g_D c_S, g_D c_P) at the phi chi2bar chi1 vertex."""
        return Couplings(self.g_dark * self.c_s, self.g_dark * self.c_p)


def dark_sector(m_phi: float, g_dark: float | None = None, alpha_dark: float | None = None,
                m_chi: float | None = None, ratio: float = DEFAULT_MASS_RATIO) -> DarkSector:
    """The dark sector from g_D or alpha_D (at most one; 0 is a valid value: no dark
    coupling) and an optional m_chi (default m_phi / ratio). Neither coupling given: the
    package's benchmark, alpha_D = `DEFAULT_ALPHA_DARK` (the one meaning of a missing dark
    sector, `leptoportal.defaults`).

    >>> dark_sector(0.3, alpha_dark=0.1).m_chi
    0.0999...
    >>> dark_sector(0.3).alpha_dark == DEFAULT_ALPHA_DARK
    True
    """
    if g_dark is not None and alpha_dark is not None:
        raise InputError("give exactly one of g_dark or alpha_dark",
                         parameters=("g_dark", "alpha_dark"))
    if g_dark is None and alpha_dark is None:
        alpha_dark = DEFAULT_ALPHA_DARK
    if m_chi is None:
        return DarkSector.benchmark(m_phi, g_dark=g_dark, alpha_dark=alpha_dark, ratio=ratio)
    if alpha_dark is not None:
        return DarkSector.from_alpha(m_chi, alpha_dark)
    return DarkSector(m_chi, float(g_dark))  # type: ignore[arg-type]  # not None: checked


@dataclass(frozen=True)
class ModelPoint:
    """One point of the model: the scalar's mass, the coupling pattern that ``h`` multiplies
    (kept apart from h: rates proportional to h^2 are computed once for the pattern), the dark
    sector and, optionally, a fixed invisible branching fraction.

    Parameters
    ----------
    m_phi
        Scalar mass in GeV (inside the domain of the pattern, `validate_m_phi()`).
    pattern
        The couplings at h = 1: a named pattern's `Couplings` (the e-mu operator) or a
        `CouplingMatrix`.
    h
        The normalisation multiplying the pattern (dimensionless).
    dark
        The dark sector; None means none (no invisible decay). The package's default is
        `DarkSector.default()`, chosen where a request is built.
    br_invisible
        Br(phi -> invisible) in [0, 1] fixed by hand instead of taken from the widths.
    open_lepton_decays
        Accept m_phi below `CouplingMatrix.m_phi_min()`, where a lepton decays into phi
        (l_j -> l_i phi), down to `M_PHI_FLOOR`: the points of `leptoportal.constraints`.
        Production and the g-2 band stay on the default domain.

    >>> point = ModelPoint(0.3, Couplings.chiral(1.0), h=1e-3, dark=DarkSector.default(0.3))
    >>> point.couplings
    Couplings(c_s=(0.0005+0j), c_p=(0.0005+0j))
    >>> ModelPoint(0.05)
    Traceback (most recent call last):
    ...
    leptoportal.errors.InputError: m_phi = 0.05 GeV is outside the allowed range (0.105147, 100] GeV
    """

    m_phi: float
    pattern: Couplings | CouplingMatrix = field(default_factory=default_pattern)
    h: float = 1.0
    dark: DarkSector | None = None
    br_invisible: float | None = None
    open_lepton_decays: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.pattern, Couplings | CouplingMatrix):
            raise InputError(f"pattern = {self.pattern!r} is not Couplings or a CouplingMatrix")
        if self.dark is not None and not isinstance(self.dark, DarkSector):
            raise InputError(f"dark = {self.dark!r} is not a DarkSector")
        object.__setattr__(self, "h", require_range("h", self.h, -COUPLING_MAX, COUPLING_MAX))
        if self.br_invisible is not None:
            object.__setattr__(self, "br_invisible",
                               require_range("br_invisible", self.br_invisible, 0.0, 1.0))
        object.__setattr__(self, "m_phi", validate_m_phi(self.m_phi, self.matrix,
                                                         self.open_lepton_decays))
        _ = self.couplings  # h times the pattern must stay perturbative

    @property
    def couplings(self) -> Couplings | CouplingMatrix:
        """The couplings of the point: h times the pattern."""
        return self.pattern.scaled(self.h)

    @property
    def matrix(self) -> CouplingMatrix:
        """The pattern as a matrix over flavour pairs."""
        return as_matrix(self.pattern)

    @property
    def portal(self) -> Portal:
        """The `Portal` (mass and couplings) of the point."""
        return Portal(self.m_phi, self.couplings, self.open_lepton_decays)

    def with_(self, **changes: Any) -> ModelPoint:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)


def resolve_couplings(h: float | None = None, kind: str = DEFAULT_COUPLING,
                      c_s: complex | str | None = None, c_p: complex | str | None = None,
                      model: str | None = None, matrix: dict[str, Any] | None = None,
                      pair: tuple[str, str] | None = None,
                      need_h: bool = True) -> Couplings | CouplingMatrix:
    """The couplings a command asks for, in one place:

    * ``matrix`` (a mapping, e.g. from ``--couplings FILE``) or ``model`` (a name of
      `MODELS`), multiplied by ``h`` when given;
    * otherwise `Couplings.resolve()` (``h`` with a pattern, or explicit C_S/C_P); with
      ``pair`` (the beam's flavour pair, e.g. ("mu", "mu")) other than e-mu they are the entry
      of that pair, else the e-mu operator (the paper's portal).

    >>> resolve_couplings(1e-3, model="mumu-scalar").vertex("mu", "mu")
    Couplings(c_s=(0.001+0j), c_p=0j)
    """
    return _resolve(h, kind, c_s, c_p, model, matrix, pair, need_h)


def describe_couplings(couplings: Couplings | CouplingMatrix) -> str:
    """The couplings in a few words for messages: the non-zero entries by flavour pair.

    >>> describe_couplings(CouplingMatrix.model("ee-scalar", 1e-3))
    '{e-e: C_S=0.001}'
    """
    parts = []
    for (i, j), c in as_matrix(couplings).nonzero():
        terms = [f"{n}={_fmt_c(v)}" for n, v in (("C_S", c.c_s), ("C_P", c.c_p)) if v != 0]
        parts.append(f"{i}-{j}: " + ", ".join(terms))
    return "{" + "; ".join(parts) + "}"


def _fmt_c(z: complex) -> str:
    return f"{z.real:.3g}" if z.imag == 0 else f"{z:.3g}"


def largest_coupling(couplings: Couplings | CouplingMatrix) -> float:
    """The largest |C_S| or |C_P| of any operator (0 for none)."""
    return max((max(abs(c.c_s), abs(c.c_p)) for _, c in as_matrix(couplings).operators),
               default=0.0)


def warn_if_strong(couplings: Couplings | CouplingMatrix) -> None:
    """Warn when a coupling exceeds COUPLING_WARN (perturbation theory is questionable; the
    package accepts up to sqrt(4 pi)). Called once where a request is turned into a point."""
    biggest = largest_coupling(couplings)
    if biggest > COUPLING_WARN:
        import warnings

        warnings.warn(f"coupling {biggest:.3g} > {COUPLING_WARN:g}: perturbation theory is "
                      f"questionable (the package accepts up to sqrt(4 pi))", stacklevel=3)


def _resolve(h: float | None, kind: str, c_s: complex | str | None, c_p: complex | str | None,
             model: str | None,
             matrix: dict[str, Any] | None,
             pair: tuple[str, str] | None, need_h: bool) -> Couplings | CouplingMatrix:
    if matrix is not None and model is not None:
        raise InputError("give either a named model or a coupling matrix (couplings), not "
                         "both", parameters=("model", "couplings"))
    if matrix is not None or model is not None:
        if c_s is not None or c_p is not None:
            raise InputError("explicit cs/cp cannot be combined with a named model or a "
                             "coupling matrix", parameters=("cs", "cp", "model", "couplings"))
        if h is None and need_h:
            raise InputError("h, the normalisation of the model's couplings, is required",
                             parameters=("h",))
        if matrix is not None:
            m = CouplingMatrix.from_mapping(matrix)
            return m if h is None else m.scaled(require_range("h", h))
        return CouplingMatrix.model(str(model), 1.0 if h is None else h)
    c = Couplings.resolve(h, kind, c_s, c_p, need_h)
    if pair is None or _canonical_pair(*pair) == ("e", "mu"):
        return c
    return CouplingMatrix.from_pairs({_canonical_pair(*pair): c})


__all__ = [
    "COUPLING_KINDS", "COUPLING_MAX", "COUPLING_WARN", "DEFAULT_ALPHA_DARK", "DEFAULT_COUPLING",
    "DEFAULT_MASS_RATIO", "DEFAULT_MODEL", "LEPTONS", "M_CHI_MIN", "M_PHI_MAX", "MATRIX_MODELS",
    "MODELS", "MUMU_EMU_RATIO", "as_matrix", "CouplingMatrix", "Couplings", "dark_sector",
    "DarkSector", "default_pattern", "describe_couplings", "largest_coupling", "ModelPoint",
    "Portal", "resolve_couplings", "unit_pattern", "validate_m_phi", "warn_if_strong",
]


def __dir__() -> list[str]:
    return __all__
