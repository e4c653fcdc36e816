"""The constraint registry: each bound one registered entry; the cLFV decays as constraints
agree with the lfv command's own route (all channels at once), and each h_limit is where the
prediction meets the limit."""

from __future__ import annotations

import math

import pytest

from leptoportal import constraints, lfv
from leptoportal.model import CouplingMatrix, DarkSector, ModelPoint

MATRICES = {
    "emu+mumu": {"e-mu": {"cs": 1.0}, "mu-mu": {"cs": 1.0}},
    "emu+tautau": {"e-mu": {"cs": 0.5, "cp": 0.5}, "tau-tau": {"cp": 1.0}},
    "mutau+ee": {"mu-tau": {"cs": 1.0}, "e-e": {"cs": 0.3}},
    "emu only": {"e-mu": {"cs": 0.5, "cp": 0.5}},
}


def _point(name: str, m_phi: float, h: float = 1e-4) -> ModelPoint:
    matrix = CouplingMatrix.from_mapping(MATRICES[name])
    return ModelPoint(m_phi, matrix, h=h, dark=DarkSector.default(m_phi))


def test_every_packaged_lfv_limit_is_one_registered_constraint():
    names = [n for n, c in constraints.CONSTRAINTS.items()
             if isinstance(c, constraints.lfv_decays.LFVDecay)]
    assert names == list(lfv.experimental_limits())
    with pytest.raises(RuntimeError, match="registered twice"):
        constraints.register(constraints.CONSTRAINTS["mu -> e gamma"])


@pytest.mark.parametrize("name", list(MATRICES))
@pytest.mark.parametrize("m_phi", [0.15, 0.5, 2.0])
def test_lfv_constraints_agree_with_the_lfv_route(name, m_phi):
    """Per channel: the prediction is the lfv() row's br; no diagram and not applicable where
    lfv() lists "no diagram" or leaves the channel out; the smallest h_limit of the
    constraints is lfv()'s h_limit, from the same channel."""
    point = _point(name, m_phi)
    reference = lfv.lfv(m_phi, point.matrix, point.h, point.dark)
    rows = {r["channel"]: r for r in reference.channels}
    bounds = {b.name: b for b in constraints.evaluate(point)
              if b.name in lfv.experimental_limits()}
    for channel, bound in bounds.items():
        row = rows.get(channel)
        if row is None:
            assert bound.status == "not applicable", channel
        elif row["process"] == "no diagram":
            assert bound.status == "no diagram" and bound.prediction == 0.0
        elif row["br"] is None:  # not computed (an open channel in the loop)
            continue
        else:
            assert bound.status == "bound"
            assert bound.prediction == pytest.approx(row["br"], rel=1e-12)
            assert bound.ratio == pytest.approx(row["ratio"], rel=1e-12)
    limits = [(b.h_limit, n) for n, b in bounds.items() if b.h_limit is not None]
    if reference.h_limit is None:
        assert not limits
    else:
        h, channel = min(limits)
        assert h == pytest.approx(reference.h_limit, rel=1e-12)
        assert channel == reference.h_limit_channel


@pytest.mark.parametrize("name", list(MATRICES))
def test_h_limit_is_where_the_prediction_meets_the_limit(name):
    """An independent check of the solve: at h = h_limit the prediction equals the limit
    (h^4 rates in closed form, narrow-width and invisible-phi rates by root finding)."""
    for m_phi in (0.15, 0.5, 2.0):
        point = _point(name, m_phi)
        for c in constraints.CONSTRAINTS.values():
            b = c.evaluate(point)
            if b.status != "bound" or b.h_limit is None:
                continue
            at_limit = c.predict(point.with_(h=b.h_limit))
            assert at_limit == pytest.approx(c.measurement.limit, rel=1e-6), (c.name, m_phi)


def test_the_emu_entry_alone_has_no_flavour_changing_loop():
    """For the e-mu entry alone the radiative and three-body channels have no diagram
    (exactly zero); a limit measured up to 1.6 GeV does not apply above."""
    bounds = {b.name: b for b in constraints.evaluate(_point("emu only", 0.2))}
    for channel in ("mu -> e gamma", "mu -> e e e", "tau -> e gamma"):
        assert bounds[channel].status == "no diagram"
    heavy = {b.name: b for b in constraints.evaluate(_point("emu only", 2.0))}
    assert heavy["tau -> e phi"].status == "not applicable"
    assert "1.6 GeV" in heavy["tau -> e phi"].reason
    assert math.isfinite(heavy["mu -> e gamma"].limit)
