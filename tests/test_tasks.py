"""The task boundary: typed requests, typed results, and a scan row equal to the command's
JSON for every task kind."""

import json
import math

import pytest

from leptoportal import InputError, scan, tasks
from leptoportal.experiments import resolve_config
from leptoportal.outputs import json_text

#: for every task kind: the command's arguments and the same task as scan parameters
CASES = {
    "g2": (["g2", "--m-phi", "0.3", "--h", "1e-3", "--model", "mumu-scalar"],
           {"m_phi": 0.3, "h": 1e-3, "model": "mumu-scalar"}),
    "g2-band": (["g2-band", "--m-phi", "0.4", "--dataset", "fnal2023"],
                {"m_phi": 0.4, "dataset": "fnal2023"}),
    "widths": (["widths", "--m-phi", "0.3", "--h", "1e-3", "--alpha-dark", "0.05"],
               {"m_phi": 0.3, "h": 1e-3, "alpha_dark": 0.05}),
    "lfv": (["lfv", "--m-phi", "0.5", "--model", "mumu-emu", "--h", "1e-3"],
            {"m_phi": 0.5, "model": "mumu-emu", "h": 1e-3}),
    "constraints": (["constraints", "--m-phi", "0.05", "--model", "mumu-emu", "--h", "1e-3"],
                    {"m_phi": 0.05, "model": "mumu-emu", "h": 1e-3}),
    "xsec": (["xsec", "--energy", "100", "--target", "Pb", "--m-phi", "0.2", "--precision",
              "0.01"], {"energy": 100.0, "target": "Pb", "m_phi": 0.2, "precision": 0.01}),
    "yield": (["yield", "--experiment", "na64mu", "--m-phi", "0.3", "--h", "1e-3",
               "--precision", "0.03"],
              {"experiment": "na64mu", "m_phi": 0.3, "h": 1e-3, "precision": 0.03}),
    "limit": (["limit", "--experiment", "na64e-upgrade", "--m-phi", "0.25", "--sensitivity",
               "--precision", "0.03", "--alpha-dark", "0.1"],
              {"experiment": "na64e-upgrade", "m_phi": 0.25, "sensitivity": True,
               "precision": 0.03, "alpha_dark": 0.1}),
    "relic": (["relic", "--m-phi", "0.3", "--h", "1e-3", "--alpha-dark", "0.1"],
              {"m_phi": 0.3, "h": 1e-3, "alpha_dark": 0.1}),
    "relic-target": (["relic-target", "--m-phi", "0.5", "--alpha-dark", "0.1"],
                     {"m_phi": 0.5, "alpha_dark": 0.1}),
}


def test_every_kind_has_a_case():
    assert set(CASES) == set(tasks.KINDS)


def _without_times(obj):
    """JSON of a result without its wall times (the one field that differs between runs)."""
    if isinstance(obj, dict):
        return {k: _without_times(v) for k, v in obj.items() if k not in ("time_s", "_time_s")}
    if isinstance(obj, list):
        return [_without_times(v) for v in obj]
    return obj


@pytest.mark.parametrize("kind", list(CASES))
def test_scan_row_is_the_commands_json(kind, run_json, tmp_path):
    """A row of a scan is the task's parameters plus exactly the command's JSON."""
    args, params = CASES[kind]
    out = run_json(*args)
    point = out["points"][0] if "points" in out else out
    task = {"kind": kind, **params}
    row = json.loads(json_text(scan.run_scan([task], tmp_path / "s", "serial")[0]))
    assert _without_times({k: row[k] for k in point}) == _without_times(point)
    assert set(row) == set(point) | set(task)


def test_results_are_typed_with_units():
    band = tasks.g2_band(tasks.build("g2-band", {"m_phi": 0.2}))
    assert band.h_1sigma_lo < band.h_central < band.h_1sigma_hi
    assert list(band.to_dict())[:3] == ["m_phi", "dataset", "h_central"]
    assert band.units() == {"m_phi": "GeV"}
    r = tasks.xsec(tasks.build("xsec", {"energy": 100.0, "target": "Pb", "m_phi": 0.2,
                                        "method": "ww"}))
    assert r.units()["sigma_pb"] == "pb" and r.to_dict()["sigma_cm2"] == r.sigma_pb * 1e-36
    assert "seed" not in r.to_dict()  # a quadrature has no seed


def test_alpha_dark_zero_means_no_invisible_decay(run_json):
    def yield_(**kw):
        return tasks.signal_yield(tasks.build("yield", {"m_phi": 0.3, "h": 1e-3,
                                                        "experiment": "na64mu",
                                                        "precision": 0.03, **kw}))

    y = yield_(alpha_dark=0.0)
    assert y.br_invisible == 0.0 and y.n_signal == 0.0
    assert yield_().br_invisible > 0.99
    out = run_json("yield", "--experiment", "na64mu", "--m-phi", "0.3", "--h", "1e-3",
                   "--alpha-dark", "0", "--precision", "0.03")
    assert out["br_invisible"] == 0.0
    # with no invisible width no coupling can be excluded
    lim = tasks.limit(tasks.build("limit", {"m_phi": 0.3, "experiment": "na64mu",
                                            "alpha_dark": 0.0, "precision": 0.03}))
    assert lim.h_limit == math.inf


def test_run_task_checks_before_running():
    row = tasks.run_task({"kind": "g2-band", "m_phi": 0.5})
    assert row == {"kind": "g2-band",
                   **tasks.g2_band(tasks.build("g2-band", {"m_phi": 0.5})).to_dict()}
    with pytest.raises(InputError, match="kind = 'nope'"):
        tasks.run_task({"kind": "nope"})
    with pytest.raises(InputError, match=r"unknown parameter\(s\): mass"):
        tasks.run_task({"kind": "g2-band", "m_phi": 0.5, "mass": 1})
    with pytest.raises(InputError, match=r"missing parameter\(s\): m_phi"):
        tasks.run_task({"kind": "relic-target", "alpha_dark": 0.1})
    # a misspelt parameter is named with the closest valid one
    with pytest.raises(InputError, match=r"eotx \(did you mean 'eot'\?\)"):
        tasks.run_task({"kind": "limit", "m_phi": 0.5, "experiment": "ldmx", "eotx": 1})
    # booleans are not numbers; fractional seeds are not seeds
    with pytest.raises(InputError, match="boolean"):
        tasks.build("g2", {"m_phi": True, "h": 1e-3})
    with pytest.raises(InputError, match="seed"):
        tasks.build("yield", {"m_phi": 0.3, "h": 1e-3, "experiment": "ldmx", "seed": 1.5})


def test_request_errors_speak_of_parameters_not_flags():
    with pytest.raises(InputError) as info:
        tasks.g2(tasks.build("g2", {"m_phi": 0.3}))
    assert "--" not in str(info.value) and info.value.parameters == ("h", "cs", "cp")


def test_yaml_config_and_flags_override_a_preset_together():
    cfg = resolve_config("na64e-2016-2018", {"eot": 1e12, "efficiency": 0.4}, eot=2e12)
    assert cfg.eot == 2e12 and cfg.efficiency == 0.4 and cfg.energy == 100.0
    cfg = resolve_config(None, {"experiment": "ldmx", "name": "my-ldmx"}, eot=1e15)
    assert cfg.name == "my-ldmx" and cfg.eot == 1e15 and cfg.energy == 8.0
    cfg = resolve_config("ldmx", None, energy=4.0)  # a flag overrides the preset's field
    assert cfg.energy == 4.0


def test_limit_command_with_config_file_and_same_flag(run_json, tmp_path):
    f = tmp_path / "my.yaml"
    f.write_text("experiment: na64e-2016-2018\neot: 1.0e12\nefficiency: 0.4\n")
    out = run_json("limit", "--m-phi", "0.5", "--config", str(f), "--eot", "2e12",
                   "--efficiency", "0.5", "--precision", "0.03")
    assert out["eot"] == 2e12
    direct = tasks.limit(tasks.build("limit", {"m_phi": 0.5, "experiment": "na64e-2016-2018",
                                               "eot": 2e12, "efficiency": 0.5,
                                               "precision": 0.03}))
    assert out["points"][0] == json.loads(json_text(direct))


def test_custom_setup_from_fields():
    y = tasks.signal_yield(tasks.build("yield", {
        "m_phi": 0.3, "h": 1e-3, "beam": "e-", "energy": 8.0, "target": "W",
        "thickness_x0": 0.1, "eot": 1e14, "precision": 0.03}))
    assert y.n_signal > 0 and y.experiment == "custom"
    with pytest.raises(InputError, match="missing: thickness_x0"):
        tasks.signal_yield(tasks.build("yield", {"m_phi": 0.3, "h": 1e-3, "beam": "e-",
                                                 "energy": 8.0, "target": "W"}))


# ------------------------------------------------------------------------------------------
# one meaning of a missing dark sector (leptoportal.defaults)
# ------------------------------------------------------------------------------------------

#: every command that takes a dark sector, without one: where its JSON reports alpha_D
_DARK_COMMANDS = {
    "widths": (["widths", "--m-phi", "0.3", "--h", "1e-3"], None),
    "lfv": (["lfv", "--m-phi", "0.3"], "alpha_dark"),
    "xsec": (["xsec", "--process", "resonant", "--beam", "e+", "--target", "W", "--m-phi",
              "0.02"], "alpha_dark"),
    "limit": (["limit", "--experiment", "na64mu", "--m-phi", "0.3", "--precision", "0.1"],
              "alpha_dark"),
    "relic": (["relic", "--m-phi", "0.3", "--h", "1e-3"], "alpha_dark"),
}


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("command", list(_DARK_COMMANDS))
def test_every_command_reports_the_benchmark_alpha_dark_when_none_is_given(command, run_json):
    """widths and relic took a missing alpha_D as "no dark sector" and lfv, yield, limit and
    the resonance as the benchmark 0.1; now all of them mean `defaults.ALPHA_DARK`."""
    from leptoportal import defaults

    args, key = _DARK_COMMANDS[command]
    out = run_json(*args)
    alpha = out["g_dark"] ** 2 / (4 * math.pi) if key is None else out[key]
    assert alpha == pytest.approx(defaults.ALPHA_DARK, rel=1e-12)
    assert defaults.ALPHA_DARK == 0.1  # the paper's benchmark (arXiv:2202.04410)


def test_yield_of_the_benchmark_and_of_no_dark_sector_differ(run_json):
    """alpha_D = 0 is a model without a dark sector (no invisible decay): a missing-energy
    yield vanishes, where the default gives events."""
    base = ["yield", "--experiment", "na64mu", "--m-phi", "0.3", "--h", "1e-3",
            "--precision", "0.1"]
    assert run_json(*base)["n_signal"] > 0
    assert run_json(*base, "--alpha-dark", "0")["br_invisible"] == 0.0
