"""Dirac algebra for numerical amplitudes: gamma matrices, spinors, slashed momenta.

Chiral (Weyl) basis, Peskin & Schroeder conventions (metric +,-,-,-):
gamma^mu = [[0, sigma^mu], [sigmabar^mu, 0]], sigma^mu = (1, sigma_i), sigmabar^mu = (1, -sigma_i),
gamma5 = diag(-1, -1, 1, 1), u(p) = (sqrt(p.sigma) xi, sqrt(p.sigmabar) xi),
v(p) = (sqrt(p.sigma) eta, -sqrt(p.sigmabar) eta), with sqrt(p.sigma) = (p.sigma + m)/sqrt(2(E+m)).
All functions are vectorised over a leading axis of phase-space points: momenta have shape
(N, 4), matrices (N, 4, 4), spinor pairs (N, 4, 2) (the two columns are the two spin states).

The Dirac-basis matrices (`GAMMA_DIRAC`) are provided for independent cross-checks.
"""

from __future__ import annotations

import numpy as np

from leptoportal._typing import AnyArray

PAULI = np.array(
    [[[1, 0], [0, 1]], [[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]], dtype=complex
)
_SIGMA = PAULI * np.array([1, 1, 1, 1])[:, None, None]  # sigma^mu (upper index)
_SIGMABAR = PAULI * np.array([1, -1, -1, -1])[:, None, None]
METRIC = np.diag([1.0, -1.0, -1.0, -1.0])

#: gamma^mu in the Weyl basis, shape (4, 4, 4)
GAMMA = np.zeros((4, 4, 4), dtype=complex)
GAMMA[:, :2, 2:] = _SIGMA
GAMMA[:, 2:, :2] = _SIGMABAR
GAMMA5 = np.diag([-1.0, -1.0, 1.0, 1.0]).astype(complex)

#: gamma^mu and gamma5 in the Dirac (standard) basis, for cross-checks
GAMMA_DIRAC = np.zeros((4, 4, 4), dtype=complex)
GAMMA_DIRAC[0] = np.diag([1, 1, -1, -1])
for _i in range(1, 4):
    GAMMA_DIRAC[_i, :2, 2:] = PAULI[_i]
    GAMMA_DIRAC[_i, 2:, :2] = -PAULI[_i]
GAMMA5_DIRAC = np.zeros((4, 4), dtype=complex)
GAMMA5_DIRAC[:2, 2:] = np.eye(2)
GAMMA5_DIRAC[2:, :2] = np.eye(2)


def mdot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Minkowski product a.b over the last axis (+,-,-,-)."""
    returned: AnyArray = (a[..., 0] * b[..., 0] - a[..., 1] * b[..., 1]
                          - a[..., 2] * b[..., 2] - a[..., 3] * b[..., 3])
    return returned


def slash(p: np.ndarray, gamma: np.ndarray = GAMMA) -> np.ndarray:
    """p-slash = gamma^mu p_mu, shape (N, 4, 4)."""
    p_lower = p * np.array([1.0, -1.0, -1.0, -1.0])
    returned: AnyArray = np.einsum("nm,mij->nij", p_lower.astype(complex), gamma)
    return returned


def _sqrt_sigma(p: np.ndarray, m: np.ndarray | float, bar: bool) -> np.ndarray:
    """sqrt(p.sigma) (or sqrt(p.sigmabar)) = (p.sigma + m) / sqrt(2 (E + m)), shape (N, 2, 2)."""
    sgn = 1.0 if bar else -1.0
    e = p[:, 0]
    m = np.broadcast_to(np.asarray(m, dtype=float), e.shape)
    out = np.empty((len(e), 2, 2), dtype=complex)
    out[:, 0, 0] = e + sgn * p[:, 3] + m
    out[:, 1, 1] = e - sgn * p[:, 3] + m
    out[:, 0, 1] = sgn * (p[:, 1] - 1j * p[:, 2])
    out[:, 1, 0] = sgn * (p[:, 1] + 1j * p[:, 2])
    returned: AnyArray = out / np.sqrt(2.0 * (e + m))[:, None, None]
    return returned


def u_spinors(p: np.ndarray, m: np.ndarray | float) -> np.ndarray:
    """Positive-energy spinors u(p, s) for s = 1, 2 as columns, shape (N, 4, 2)."""
    out = np.empty((len(p), 4, 2), dtype=complex)
    out[:, :2, :] = _sqrt_sigma(p, m, bar=False)
    out[:, 2:, :] = _sqrt_sigma(p, m, bar=True)
    return out


def v_spinors(p: np.ndarray, m: np.ndarray | float) -> np.ndarray:
    """Negative-energy spinors v(p, s) for s = 1, 2 as columns, shape (N, 4, 2)."""
    out = np.empty((len(p), 4, 2), dtype=complex)
    out[:, :2, :] = _sqrt_sigma(p, m, bar=False)
    out[:, 2:, :] = -_sqrt_sigma(p, m, bar=True)
    return out


def bar(spinors: np.ndarray, gamma0: np.ndarray = GAMMA[0]) -> np.ndarray:
    """Dirac adjoint psibar = psi^dagger gamma0 as rows, shape (N, 2, 4)."""
    returned: AnyArray = np.einsum("nis,ij->nsj", spinors.conj(), gamma0)
    return returned


def coupling_matrix(c_s: complex, c_p: complex, gamma5: np.ndarray = GAMMA5) -> np.ndarray:
    """Vertex matrix G = C_S + C_P gamma5."""
    return c_s * np.eye(4, dtype=complex) + c_p * gamma5


def dirac_bar_matrix(o: np.ndarray, gamma0: np.ndarray = GAMMA[0]) -> np.ndarray:
    """Obar = gamma0 O^dagger gamma0 for a stack of matrices."""
    returned: AnyArray = gamma0 @ np.conj(np.swapaxes(o, -1, -2)) @ gamma0
    return returned


def boost_to_rest(p_frame: np.ndarray, vecs: np.ndarray) -> np.ndarray:
    """Boost 4-vectors ``vecs`` into the rest frame of ``p_frame`` (both (N, 4))."""
    return _boost(vecs, -p_frame[:, 1:] / p_frame[:, :1])


def boost_from_rest(p_frame: np.ndarray, vecs: np.ndarray) -> np.ndarray:
    """Boost 4-vectors given in the rest frame of ``p_frame`` back to the frame of p_frame."""
    return _boost(vecs, p_frame[:, 1:] / p_frame[:, :1])


def _boost(vecs: np.ndarray, beta: np.ndarray) -> np.ndarray:
    b2 = np.sum(beta * beta, axis=1)
    gamma = 1.0 / np.sqrt(1.0 - b2)
    bp = np.sum(beta * vecs[:, 1:], axis=1)
    # (gamma - 1)/b2 = gamma^2/(gamma + 1), stable for small beta
    g2 = gamma * gamma / (gamma + 1.0)
    out = np.empty_like(vecs)
    out[:, 0] = gamma * (vecs[:, 0] + bp)
    out[:, 1:] = vecs[:, 1:] + (g2 * bp + gamma * vecs[:, 0])[:, None] * beta
    return out


__all__ = [
    "GAMMA", "GAMMA5", "GAMMA5_DIRAC", "GAMMA_DIRAC", "METRIC", "PAULI", "bar",
    "boost_from_rest", "boost_to_rest", "coupling_matrix", "dirac_bar_matrix", "mdot", "slash",
    "u_spinors", "v_spinors",
]


def __dir__() -> list[str]:
    return __all__
