"""HistFactory workspaces: valid under pyhf's schema, and `limit --pyhf-workspace` hands on a
limit that pyhf reproduces where its asymptotics hold."""

import json

import pytest

from leptoportal import histfactory as hf
from leptoportal import stats

pyhf = pytest.importorskip("pyhf")


def test_counting_workspace_is_what_pyhf_reads():
    spec = hf.counting_workspace(2.3, 0.53, 0.17, 1, name="NA64 m_phi = 0.3 GeV")
    ws = pyhf.Workspace(spec)  # validates against pyhf's workspace.json
    model = ws.model()
    assert model.config.poi_name == hf.POI
    assert ws.data(model, include_auxdata=False) == [1.0]
    assert model.expected_actualdata(model.config.suggested_init()).tolist() == \
        pytest.approx([2.3 + 0.53])
    # no uncertainty: no nuisance parameter; no background: no background sample
    assert pyhf.Workspace(hf.counting_workspace(2.0, 1.0, 0.0, 0)).model().config.npars == 1
    assert [s["name"] for s in hf.counting_workspace(2.0, 0.0, 0.0, 0)["channels"][0][
        "samples"]] == ["signal"]
    with pytest.raises(stats.InputError, match="needs a background"):
        hf.counting_workspace(1.0, 0.0, 0.1, 0)
    with pytest.raises(stats.InputError, match="signal"):
        hf.counting_workspace(0.0, 1.0, 0.0, 0)
    assert hf.workspace_name(0.3) == "m_phi_0p3.json"


def test_limit_workspace_agrees_with_pyhf_where_asymptotics_hold(run_json, tmp_path):
    """n_obs = b = 50 events: pyhf's asymptotic CLs on the written workspace gives the
    package's exact CLs limit to within the discreteness of the Poisson counts (4%)."""
    path = tmp_path / "ws.json"
    out = run_json("limit", "--experiment", "na64e-2016-2018", "--m-phi", "0.3", "--n-obs",
                   "50", "--background", "50", "--precision", "0.05", "--pyhf-workspace",
                   str(path))
    point = out["points"][0]
    spec = json.loads(path.read_text())
    assert spec["observations"][0]["data"] == [50.0]
    assert "na64e-2016-2018" in spec["measurements"][0]["name"]
    res = stats.pyhf_upper_limit(spec)
    assert "asymptotic" in res.method
    # mu = 1 is the package's limit; the yield goes as h^2 in the invisible mode
    assert res.mu_up == pytest.approx(1.0, abs=0.04)
    assert point["h_limit"] * res.mu_up**0.5 == pytest.approx(point["h_limit"], rel=0.02)


def test_limit_workspaces_of_several_masses_and_few_events(run_cli, tmp_path):
    code, out, err = run_cli("limit", "--experiment", "na64e-2016-2018", "--m-phi", "0.3,0.5",
                             "--background-err", "0.5", "--precision", "0.05",
                             "--pyhf-workspace", str(tmp_path / "ws"), "--json")
    assert code == 0, err
    assert "asymptotic formulae do not hold" in err  # n_obs = b = 3: said, not refused
    files = sorted(p.name for p in (tmp_path / "ws").iterdir())
    assert files == ["m_phi_0p3.json", "m_phi_0p5.json"]
    points = json.loads(out)["points"]
    for p, name in zip(points, files, strict=True):
        spec = json.loads((tmp_path / "ws" / name).read_text())
        res = stats.pyhf_upper_limit(spec)
        assert "exact" in res.method
        assert res.mu_up == pytest.approx(1.0, rel=1e-9)  # the same exact CLs
        assert p["n_up"] == pytest.approx(stats.cls_upper_limit(3, 3.0, b_err=0.5))


def test_workspace_path_is_checked_before_computing(run_cli, tmp_path):
    code, _, err = run_cli("limit", "--experiment", "na64e-2016-2018", "--m-phi", "0.3",
                           "--pyhf-workspace", str(tmp_path))
    assert code == 2 and "--pyhf-workspace" in err and "is a directory" in err
    (tmp_path / "f").write_text("x")
    code, _, err = run_cli("limit", "--experiment", "na64e-2016-2018", "--m-phi", "0.3,0.5",
                           "--pyhf-workspace", str(tmp_path / "f"))
    assert code == 2 and "is not a directory" in err
