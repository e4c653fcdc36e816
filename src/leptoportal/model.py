"""The leptonic scalar portal and its benchmark dark sector.

Portal Lagrangian (Gninenko & Krasnikov, arXiv:2202.04410, general form)::

    L_portal = phi * mubar (C_S + C_P gamma5) e + h.c.

phi is a complex scalar with lepton numbers (L_e, L_mu) = (-1, +1). Named coupling patterns,
all normalised to one number ``h`` (the paper's h_emu for the chiral benchmark):

* ``chiral`` (default): C_S = C_P = h/2, i.e. ``h phi mubar P_R e`` (paper's benchmark);
* ``scalar``: C_S = h, C_P = 0;
* ``pseudoscalar``: C_S = 0, C_P = h.

Dark sector (benchmark): Dirac fermions chi1, chi2 of equal mass m_chi with
``L_dark = g_D phi chi2bar (c_S + c_P gamma5) chi1 + h.c.``, alpha_D = g_D^2/(4 pi); by default
c_S = c_P = 1/2 and m_phi = 3 m_chi.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from leptoportal.constants import M_PHI_MIN
from leptoportal.errors import InputError, require_choice, require_complex, require_range

COUPLING_KINDS = ("chiral", "scalar", "pseudoscalar")
#: m_phi / m_chi of the benchmark dark sector (Gninenko & Krasnikov, arXiv:2202.04410)
DEFAULT_MASS_RATIO = 3.0
#: alpha_D of the benchmark dark sector used for Br_inv in yields, limits, events and figures
DEFAULT_ALPHA_DARK = 0.1
#: largest m_phi accepted (GeV): the package's formulas are tree level and assume a light
#: portal; above this the fixed-target physics of the package is meaningless.
M_PHI_MAX = 100.0


@dataclass(frozen=True)
class Couplings:
    """Scalar and pseudoscalar couplings (C_S, C_P) of ``phi mubar (C_S + C_P g5) e``."""

    c_s: complex
    c_p: complex

    def __post_init__(self) -> None:
        object.__setattr__(self, "c_s", require_complex("C_S", self.c_s))
        object.__setattr__(self, "c_p", require_complex("C_P", self.c_p))

    @classmethod
    def from_kind(cls, kind: str, h: float) -> Couplings:
        """Couplings of a named pattern normalised to ``h`` (see module docstring)."""
        h = require_range("h", h)
        if kind == "chiral":
            return cls(h / 2.0, h / 2.0)
        if kind == "scalar":
            return cls(h, 0.0)
        if kind == "pseudoscalar":
            return cls(0.0, h)
        raise InputError(f"coupling = {kind!r} is not one of: {', '.join(COUPLING_KINDS)}")

    @classmethod
    def resolve(cls, h: float | None = None, kind: str = "chiral",
                c_s: complex | str | None = None, c_p: complex | str | None = None,
                need_h: bool = True) -> Couplings:
        """Couplings from ``h`` with a named ``kind``, or explicit ``c_s``/``c_p`` (complex
        numbers or strings such as ``"1+2j"``) that ``h`` multiplies when given.

        With ``need_h=False`` a missing ``h`` means the unit pattern (h = 1).
        Example: ``Couplings.resolve(1e-3)`` is ``Couplings.chiral(1e-3)``.
        """
        require_choice("coupling", kind, COUPLING_KINDS)
        if c_s is not None or c_p is not None:
            base = cls(_complex_input("cs", c_s), _complex_input("cp", c_p))
            return base if h is None else base.scaled(require_range("h", h))
        if h is None:
            if need_h:
                raise InputError("h is required (give --h H, or --cs/--cp)")
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


def _complex_input(name: str, value: complex | str | None) -> complex:
    if value is None:
        return 0j
    if isinstance(value, str):
        text = value.replace(" ", "")
        if not text:
            raise InputError(f"{name} = {value!r} is empty; allowed: a (complex) number")
        value = text
    return require_complex(name, value)


def validate_m_phi(m_phi: float) -> float:
    """Reject m_phi outside (m_mu - m_e, M_PHI_MAX] GeV (below, mu -> e phi is open)."""
    return require_range("m_phi", m_phi, M_PHI_MIN, M_PHI_MAX, lo_open=True, unit="GeV")


@dataclass(frozen=True)
class Portal:
    """The portal scalar: mass (GeV) and couplings to mubar e."""

    m_phi: float
    couplings: Couplings = field(default_factory=lambda: Couplings.chiral(1.0))

    def __post_init__(self) -> None:
        object.__setattr__(self, "m_phi", validate_m_phi(self.m_phi))
        if not isinstance(self.couplings, Couplings):
            raise InputError(f"couplings = {self.couplings!r} is not a Couplings object")

    @classmethod
    def from_kind(cls, m_phi: float, h: float, kind: str = "chiral") -> Portal:
        """Portal with a named coupling pattern normalised to ``h``."""
        return cls(m_phi, Couplings.from_kind(kind, h))


@dataclass(frozen=True)
class DarkSector:
    """Benchmark dark sector: chi1, chi2 Dirac fermions of mass m_chi coupled with g_D."""

    m_chi: float
    g_dark: float
    c_s: complex = 0.5
    c_p: complex = 0.5

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "m_chi", require_range("m_chi", self.m_chi, 0.0, None, lo_open=True, unit="GeV")
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
        ratio = require_range("ratio", ratio, 0.0, None, lo_open=True)
        m_chi = m_phi / ratio
        if (g_dark is None) == (alpha_dark is None):
            raise InputError("give exactly one of g_dark or alpha_dark")
        if alpha_dark is not None:
            return cls.from_alpha(m_chi, alpha_dark)
        return cls(m_chi, float(g_dark))

    @classmethod
    def default(cls, m_phi: float) -> DarkSector:
        """The benchmark dark sector: alpha_D = DEFAULT_ALPHA_DARK, m_chi = m_phi / 3."""
        return cls.benchmark(m_phi, alpha_dark=DEFAULT_ALPHA_DARK)

    @property
    def alpha_dark(self) -> float:
        return self.g_dark**2 / (4.0 * math.pi)

    @property
    def couplings(self) -> Couplings:
        """Effective (g_D c_S, g_D c_P) at the phi chi2bar chi1 vertex."""
        return Couplings(self.g_dark * self.c_s, self.g_dark * self.c_p)


def dark_sector(m_phi: float, g_dark: float | None = None, alpha_dark: float | None = None,
                m_chi: float | None = None, ratio: float = DEFAULT_MASS_RATIO,
                required: bool = False) -> DarkSector | None:
    """The dark sector from g_D or alpha_D (exactly one; 0 is a valid value) and an optional
    m_chi (default m_phi / ratio); None when neither coupling is given and not ``required``.

    Example: ``dark_sector(0.3, alpha_dark=0.1).m_chi == 0.1``.
    """
    if g_dark is None and alpha_dark is None:
        if required:
            raise InputError("give exactly one of --g-dark or --alpha-dark")
        if m_chi is not None:
            raise InputError("--m-chi needs --g-dark or --alpha-dark")
        return None
    if g_dark is not None and alpha_dark is not None:
        raise InputError("give exactly one of --g-dark or --alpha-dark")
    if m_chi is None:
        return DarkSector.benchmark(m_phi, g_dark=g_dark, alpha_dark=alpha_dark, ratio=ratio)
    if alpha_dark is not None:
        return DarkSector.from_alpha(m_chi, alpha_dark)
    return DarkSector(m_chi, g_dark)
