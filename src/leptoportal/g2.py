"""One-loop anomalous magnetic moments from the portal scalar (Leveille 1978; Lindner et al. 2018).

For an external lepton l (mass m_l), internal lepton F (mass m_F) and neutral scalar of mass M
with L = phi lbar (C_S + C_P g5) F + h.c. (Leveille, Nucl. Phys. B 137 (1978) 63; Lindner,
Platscher, Queiroz, Phys. Rept. 731 (2018) 1, eq. for a neutral scalar):

    Delta a_l = m_l^2/(8 pi^2) Int_0^1 dx [|C_S|^2 x^2 (1-x+eps) + |C_P|^2 x^2 (1-x-eps)]
                                       / [m_l^2 x^2 + (m_F^2 - m_l^2) x + M^2 (1-x)],
    eps = m_F / m_l.

Delta a_mu: l = mu, F = e. Delta a_e: l = e, F = mu.

Two independent evaluations are provided: `delta_a()` (closed form, partial fractions over
the roots of the denominator with a convergent series for large roots) and
`delta_a_numeric()` (adaptive quadrature). The datasets of the measured anomalies and the
solver for the coupling band live here as well.
"""

from __future__ import annotations

import cmath
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from leptoportal import defaults
from leptoportal.constants import LEPTON_MASS
from leptoportal.errors import DomainError, require_choice, require_range
from leptoportal.model import (
    DEFAULT_COUPLING,
    LEPTONS,
    CouplingMatrix,
    Couplings,
    as_matrix,
    unit_pattern,
    validate_m_phi,
)
from leptoportal.results import Result, quantity

# --------------------------------------------------------------------------------------------
# loop integrals
# --------------------------------------------------------------------------------------------


def _numerator_in_y(m_l: float, m_f: float, couplings: Couplings) -> np.ndarray:
    """Coefficients n_i (ascending powers of y = 1 - x) of c2 x^2 + c3 x^3.

    With x = 1 - y: c2 (1-y)^2 + c3 (1-y)^3. The eps term cancels exactly when |C_S| = |C_P|.
    """
    eps = m_f / m_l
    s2, p2 = couplings.s2, couplings.p2
    chirally_enhanced = eps * (s2 - p2)  # coefficient of x^2 alone
    soft = s2 + p2  # coefficient of x^2 (1 - x) = x^2 y
    # x^2 y = y - 2 y^2 + y^3 ; x^2 = 1 - 2 y + y^2
    return np.array([
        chirally_enhanced,
        soft - 2.0 * chirally_enhanced,
        -2.0 * soft + chirally_enhanced,
        soft,
    ])


def _denominator_in_y(m_l: float, m_f: float, m_phi: float) -> tuple[float, float, float]:
    """D(y) = a y^2 + b y + c with y = 1 - x: a = m_l^2, b = M^2 - m_l^2 - m_f^2, c = m_f^2."""
    return m_l**2, m_phi**2 - m_l**2 - m_f**2, m_f**2


def _poly_over_linear(coeffs: np.ndarray, r: complex) -> complex:
    """Int_0^1 N(y) / (y - r) dy for N(y) = sum_i coeffs[i] y^i and r outside [0, 1].

    |r| > 2: -sum_j r^-(j+1) Int_0^1 y^j N(y) dy (geometric series, no cancellation);
    otherwise Int (N(y) - N(r))/(y - r) dy (a polynomial) + N(r) log((1-r)/(-r)).
    """
    n = len(coeffs)
    if abs(r) > 2.0:
        total = 0j
        inv = 1.0 / r
        power = inv
        for j in range(400):
            moment = sum(coeffs[i] / (i + j + 1) for i in range(n))
            add = power * moment
            total += add
            if abs(add) <= 1e-18 * abs(total) and j > 2:
                break
            power *= inv
        return -total
    # synthetic division N(y) = Q(y)(y - r) + N(r), Q of degree n-2
    q = np.zeros(n - 1, dtype=complex)
    acc = 0j
    for i in range(n - 1, 0, -1):
        acc = acc * r + coeffs[i]
        q[i - 1] = acc
    n_at_r = acc * r + coeffs[0]
    poly = sum(q[i] / (i + 1) for i in range(n - 1))
    returned: complex = poly + n_at_r * cmath.log((1.0 - r) / (-r))
    return returned


def _loop_integral(m_l: float, m_f: float, m_phi: float, couplings: Couplings) -> float:
    """Int_0^1 dx [numerator] / D(x) in closed form (partial fractions in y = 1 - x)."""
    a, b, c = _denominator_in_y(m_l, m_f, m_phi)
    coeffs = _numerator_in_y(m_l, m_f, couplings)
    sq = cmath.sqrt(complex(b * b - 4.0 * a * c))
    q = -0.5 * (b + (sq if b >= 0 else -sq))
    r1, r2 = q / a, c / q
    if abs(r1 - r2) < 1e-7 * max(1.0, abs(r1)):
        raise ArithmeticError("near-degenerate roots; use the numerical route")
    val = (_poly_over_linear(coeffs, r1) - _poly_over_linear(coeffs, r2)) / (a * (r1 - r2))
    return val.real


def delta_a(m_l: float, m_f: float, m_phi: float, couplings: Couplings) -> float:
    """Delta a_l of the module docstring in closed form (see module docstring)."""
    try:
        val = _loop_integral(m_l, m_f, m_phi, couplings)
    except ArithmeticError:
        return delta_a_numeric(m_l, m_f, m_phi, couplings)
    return float(m_l**2 / (8.0 * math.pi**2) * val)


def delta_a_numeric(m_l: float, m_f: float, m_phi: float, couplings: Couplings) -> float:
    """Delta a_l of the module docstring by adaptive quadrature in y = 1 - x.

    The integrand varies on the scale y ~ m_F^2 / M^2 near y = 0, so the interval is split at
    logarithmically spaced points from that scale up to 1.
    """
    from scipy import integrate

    a, b, c = _denominator_in_y(m_l, m_f, m_phi)
    coeffs = _numerator_in_y(m_l, m_f, couplings)

    def integrand(y: float) -> float:
        num = coeffs[0] + y * (coeffs[1] + y * (coeffs[2] + y * coeffs[3]))
        returned: float = num / (c + y * (b + a * y))
        return returned

    scale = c / max(abs(b), c)
    edges = [0.0]
    y = scale
    while y < 0.5:
        edges.append(y)
        y *= 10.0
    edges.append(1.0)
    val = sum(
        integrate.quad(integrand, lo, hi, epsabs=0.0, epsrel=1e-13, limit=200)[0]
        for lo, hi in zip(edges[:-1], edges[1:], strict=True)
    )
    return float(m_l**2 / (8.0 * math.pi**2) * val)


def delta_a_lepton(lepton: str, m_phi: float, couplings: Couplings | CouplingMatrix,
                   open_lepton_decays: bool = False) -> float | None:
    """Delta a_l of the external lepton ``lepton`` (e, mu, tau), summed over the internal
    leptons f with the vertex of l -> f of the coupling matrix (plain `Couplings` are
    the e-mu operator). None where a contributing loop has m_phi < m_l - m_f: the decay
    l -> f phi is then open and the loop has an absorptive part (tau only on the default
    domain). With ``open_lepton_decays`` (the masses of `leptoportal.constraints`) such a
    loop gives its dispersive part: the closed form's real part, which is then the
    principal value of the Feynman-parameter integral over the two poles inside [0, 1]
    (`delta_a()`; checked against scipy's Cauchy-weight quadrature in tests/test_g2.py)."""
    matrix = as_matrix(couplings)
    m_phi = validate_m_phi(m_phi, matrix, open_lepton_decays)
    m_l = LEPTON_MASS[lepton]
    total = 0.0
    for f in LEPTONS:
        c = matrix.vertex(lepton, f)
        if c.norm2 == 0:
            continue
        if m_phi <= m_l - LEPTON_MASS[f] and not open_lepton_decays:
            return None
        total += delta_a(m_l, LEPTON_MASS[f], m_phi, c)
    return total


def delta_a_mu(m_phi: float, couplings: Couplings | CouplingMatrix) -> float:
    """Delta a_mu summed over the internal leptons (the e-phi loop for the e-mu portal).

    Parameters
    ----------
    m_phi
        Scalar mass (GeV).
    couplings
        The couplings (plain `Couplings` are the e-mu operator).

    Returns
    -------
    float
        Delta a_mu (dimensionless).

    In the heavy-scalar limit the chiral pattern gives h^2 m_mu^2 / (48 pi^2 M^2):

    >>> h, m = 0.3, 100.0
    >>> delta_a_mu(m, Couplings.chiral(h)) / (h**2 * 0.1056583755**2 / (48 * math.pi**2 * m**2))
    1.0000...
    """
    value = delta_a_lepton("mu", m_phi, couplings)
    assert value is not None  # only a tau loop can be open: validate_m_phi keeps m_phi above
    return value


def delta_a_e(m_phi: float, couplings: Couplings | CouplingMatrix) -> float:
    """Delta a_e summed over the internal leptons (the mu-phi loop for the e-mu portal,
    chirally enhanced by m_mu/m_e unless |C_S| = |C_P|)."""
    value = delta_a_lepton("e", m_phi, couplings)
    assert value is not None  # only a tau loop can be open (see delta_a_mu)
    return value


# --------------------------------------------------------------------------------------------
# datasets
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class G2Dataset:
    """A measured-minus-SM anomaly Delta a = a(exp) - a(SM) with its 1 sigma error."""

    name: str
    lepton: str
    delta: float
    sigma: float
    a_exp: str
    a_sm: str
    reference: str

    @property
    def significance(self) -> float:
        return self.delta / self.sigma


#: Delta a_mu datasets (references in each entry);
#: numbers in units of 1e-11 in the docstrings, stored absolute.
MUON_DATASETS: dict[str, G2Dataset] = {
    "fnal2021": G2Dataset(
        "fnal2021", "mu", 251e-11, 59e-11,
        a_exp="116592061(41)e-11: FNAL Run-1 + BNL, Abi et al., PRL 126 (2021) 141801",
        a_sm="116591810(43)e-11: White Paper 2020, Aoyama et al., Phys. Rept. 887 (2020) 1",
        reference="Gninenko & Krasnikov arXiv:2202.04410 use 251 +- 59 (4.2 sigma)",
    ),
    "fnal2023": G2Dataset(
        "fnal2023", "mu", 249e-11, 48e-11,
        a_exp="116592059(22)e-11: Run-1..3 world average, Aguillard et al., PRL 131 (2023) 161802",
        a_sm="116591810(43)e-11: White Paper 2020, Aoyama et al., Phys. Rept. 887 (2020) 1",
        reference="5.1 sigma",
    ),
    "fnal2025": G2Dataset(
        "fnal2025", "mu", 38.5e-11, 63.7e-11,
        a_exp="116592071.5(14.5)e-11: final world average, Muon g-2 Collaboration (2025)",
        a_sm="116592033(62)e-11: White Paper 2025 (lattice-QCD HVP)",
        reference="no significant anomaly: an upper limit on the coupling is reported",
    ),
}

#: Delta a_e datasets: a_e(exp) of Fan et al., PRL 130 (2023) 071801, with alpha from
#: Cs or Rb recoil measurements.
ELECTRON_DATASETS: dict[str, G2Dataset] = {
    "cs2018": G2Dataset(
        "cs2018", "e", -10.2e-13, 2.6e-13,
        a_exp="11596521805.9(1.3)e-13: Fan et al., PRL 130 (2023) 071801",
        a_sm="alpha(Cs): Parker et al., Science 360 (2018) 191",
        reference="Delta a_e = -10.2 +- 2.6 (1e-13)",
    ),
    "rb2020": G2Dataset(
        "rb2020", "e", 3.4e-13, 1.6e-13,
        a_exp="11596521805.9(1.3)e-13: Fan et al., PRL 130 (2023) 071801",
        a_sm="alpha(Rb): Morel et al., Nature 588 (2020) 61",
        reference="Delta a_e = +3.4 +- 1.6 (1e-13)",
    ),
}

#: a dataset whose |Delta|/sigma is below this is treated as showing no anomaly
ANOMALY_THRESHOLD_SIGMA = 3.0


def get_dataset(name: str, lepton: str = "mu") -> G2Dataset:
    table = MUON_DATASETS if lepton == "mu" else ELECTRON_DATASETS
    require_choice("dataset", name, tuple(table))
    return table[name]


def one_sided_z(cl: float) -> float:
    """Gaussian quantile z with P(X < z) = cl (1.2816 at 90% CL)."""
    from scipy import special

    cl = require_range("cl", cl, 0.0, 1.0, lo_open=True, hi_open=True)
    return float(special.ndtri(cl))


# --------------------------------------------------------------------------------------------
# coupling band
# --------------------------------------------------------------------------------------------


def _h_for(delta: float, per_h2: float) -> float:
    """h with h^2 * per_h2 = delta (0 when delta <= 0)."""
    return math.sqrt(delta / per_h2) if delta > 0 else 0.0


@dataclass(frozen=True)
class CouplingBand(Result):
    """The coupling h that explains Delta a_mu of a dataset at one mass: the central value and
    the 1 and 2 sigma edges, or, for a dataset without an anomaly, the upper limit
    ``h_upper`` at confidence level ``cl``."""

    title = "g-2 coupling band"

    m_phi: float = quantity("GeV", "scalar mass")
    dataset: str = quantity("", "muon g-2 dataset")
    h_central: float | None = quantity("", "h giving the central Delta a_mu", optional=True)
    h_1sigma_lo: float | None = quantity("", "h at Delta a_mu - 1 sigma", optional=True)
    h_1sigma_hi: float | None = quantity("", "h at Delta a_mu + 1 sigma", optional=True)
    h_2sigma_lo: float | None = quantity("", "h at Delta a_mu - 2 sigma (0: the edge is "
                                         "negative)", optional=True)
    h_2sigma_hi: float | None = quantity("", "h at Delta a_mu + 2 sigma", optional=True)
    h_upper: float | None = quantity("", "one-sided upper limit on h (no anomaly)",
                                     optional=True)
    cl: float | None = quantity("", "confidence level of h_upper", optional=True)
    delta_a_mu_per_h2: float = quantity("", "Delta a_mu of the pattern at h = 1", default=0.0)


def coupling_band(m_phi: float, dataset: str = defaults.G2_DATASET,
                  kind: str | Couplings | CouplingMatrix = DEFAULT_COUPLING,
                  cl: float = defaults.CL) -> CouplingBand:
    """Coupling h that explains Delta a_mu of ``dataset`` at m_phi.

    Parameters
    ----------
    m_phi
        Scalar mass (GeV).
    dataset
        A key of `MUON_DATASETS`.
    kind
        A named pattern, or explicit unit couplings (C_S, C_P) / a matrix that h multiplies.
    cl
        Confidence level of the upper limit of a dataset without an anomaly.

    Returns
    -------
    CouplingBand
        Delta a_mu = h^2 f(m_phi) exactly (the pattern fixes C_S/h, C_P/h), so the band is
        h = sqrt(Delta a / f) at Delta, Delta -+ 1 sigma, Delta -+ 2 sigma (a negative lower
        edge is reported as 0). Where the dataset shows no anomaly (|Delta|/sigma < 3) the
        one-sided Gaussian upper limit Delta a_NP < Delta + z(cl) sigma gives ``h_upper``.

    >>> band = coupling_band(0.2)
    >>> band.h_1sigma_lo < band.h_central < band.h_1sigma_hi
    True
    >>> band.h_central
    0.0018315979...
    """
    m_phi = validate_m_phi(m_phi, as_matrix(unit_pattern(kind)))
    ds = get_dataset(dataset, "mu")
    cl = require_range("cl", cl, 0.5, 1.0, hi_open=True)
    per_h2 = delta_a_mu(m_phi, unit_pattern(kind))
    if per_h2 <= 0:
        raise DomainError(
            f"the coupling pattern {kind!r} gives Delta a_mu <= 0 at m_phi = {m_phi}: no band "
            "explains the muon anomaly", parameters=("coupling", "model", "couplings"))
    if ds.significance < ANOMALY_THRESHOLD_SIGMA:
        z = one_sided_z(cl)
        return CouplingBand(m_phi, dataset, h_upper=_h_for(ds.delta + z * ds.sigma, per_h2),
                            cl=cl, delta_a_mu_per_h2=per_h2)
    d, s = ds.delta, ds.sigma
    return CouplingBand(m_phi, dataset, h_central=_h_for(d, per_h2),
                        h_1sigma_lo=_h_for(d - s, per_h2), h_1sigma_hi=_h_for(d + s, per_h2),
                        h_2sigma_lo=_h_for(d - 2 * s, per_h2),
                        h_2sigma_hi=_h_for(d + 2 * s, per_h2), delta_a_mu_per_h2=per_h2)


@dataclass(frozen=True)
class G2Result(Result):
    """The portal's one-loop contributions to the anomalous magnetic moments at a point."""

    title = "portal contributions to g-2"

    m_phi: float = quantity("GeV", "scalar mass")
    c_s: complex | None = quantity("", "C_S of the e-mu operator", optional=True)
    c_p: complex | None = quantity("", "C_P of the e-mu operator", optional=True)
    couplings: dict[str, Any] | None = quantity("", "the coupling matrix (named model or file)",
                                      optional=True)
    delta_a_mu: float = quantity("", "Delta a_mu", default=0.0)
    delta_a_e: float = quantity("", "Delta a_e", default=0.0)
    delta_a_tau: float | None = quantity("", "Delta a_tau (where a tau loop contributes)",
                                         optional=True)


def contributions(m_phi: float, couplings: Couplings | CouplingMatrix) -> G2Result:
    """Delta a_mu, Delta a_e (and Delta a_tau where non-zero) of the portal at ``m_phi``,
    summed over the internal leptons.

    >>> contributions(0.3, Couplings.chiral(1e-3)).delta_a_mu
    2.88856512...e-10
    """
    m_phi = validate_m_phi(m_phi, as_matrix(couplings))
    tau = delta_a_lepton("tau", m_phi, couplings)
    shown = ({"c_s": couplings.c_s, "c_p": couplings.c_p} if isinstance(couplings, Couplings)
             else {"couplings": couplings.as_dict()})
    return G2Result(m_phi, **shown, delta_a_mu=delta_a_mu(m_phi, couplings),
                    delta_a_e=delta_a_e(m_phi, couplings),
                    delta_a_tau=tau if tau != 0.0 else None)


def allowed_shift(dataset: G2Dataset, sign: float, cl: float = defaults.CL) -> float:
    """The largest |Delta a_NP| a measurement allows for a new contribution of sign
    ``sign`` (documented, conservative rule): max(0, sign * Delta_exp) + z(cl) sigma, with
    z the one-sided Gaussian quantile. A measured shift of the opposite sign is treated as
    zero rather than as evidence against the new contribution; so a positive and a negative
    contribution are both bounded (two-sided), and h = 0 is never excluded.

    >>> ds = get_dataset("fnal2025", "mu")
    >>> f"{allowed_shift(ds, +1.0):.4e}", f"{allowed_shift(ds, -1.0):.4e}"
    ('1.2013e-09', '8.1635e-10')
    """
    return max(0.0, math.copysign(1.0, sign) * dataset.delta) + one_sided_z(cl) * dataset.sigma


def electron_g2_upper_coupling(m_phi: float, dataset: str = "rb2020",
                               kind: str | Couplings | CouplingMatrix = DEFAULT_COUPLING,
                               cl: float = defaults.CL) -> float:
    """Largest h allowed by Delta a_e of ``dataset`` (`allowed_shift()`, the documented
    conservative rule). The portal's Delta a_e = h^2 g(m_phi) has a definite sign s.
    Returns +inf if g = 0.
    """
    m_phi = validate_m_phi(m_phi, as_matrix(unit_pattern(kind)))
    ds = get_dataset(dataset, "e")
    g = delta_a_e(m_phi, unit_pattern(kind))
    if g == 0.0:
        return math.inf
    return math.sqrt(allowed_shift(ds, g, cl) / abs(g))


__all__ = [
    "ANOMALY_THRESHOLD_SIGMA", "ELECTRON_DATASETS", "MUON_DATASETS", "allowed_shift",
    "contributions",
    "coupling_band", "CouplingBand", "delta_a", "delta_a_e", "delta_a_lepton", "delta_a_mu",
    "delta_a_numeric", "electron_g2_upper_coupling", "G2Dataset", "G2Result", "get_dataset",
    "one_sided_z",
]


def __dir__() -> list[str]:
    return __all__
