import pytest


def test_limit_done_when(run_json):
    out = run_json("limit", "--experiment", "na64e-2016-2018", "--m-phi", "0.2,0.5,1.0")
    hs = [p["h_limit"] for p in out["points"]]
    assert [p["m_phi"] for p in out["points"]] == [0.2, 0.5, 1.0]
    assert all(0 < h < 1 for h in hs) and hs[0] < hs[1] < hs[2]


def test_limit_methods_and_sensitivity(run_json):
    cls = run_json("limit", "--experiment", "na64e-2016-2018", "--m-phi", "0.3")
    fc = run_json("limit", "--experiment", "na64e-2016-2018", "--m-phi", "0.3", "--method",
                  "fc", "--n-obs", "0", "--background", "0")
    assert fc["points"][0]["n_up"] == pytest.approx(2.44, abs=0.006)
    sens = run_json("limit", "--experiment", "na64e-2016-2018", "--m-phi", "0.3",
                    "--sensitivity")
    assert sens["n_obs"] == 3 and cls["points"][0]["h_limit"] > 0


def test_yield_and_experiments(run_json, run_cli):
    y = run_json("yield", "--experiment", "na64e-2016-2018", "--m-phi", "0.5", "--h", "1e-2",
                 "--eot", "1e12")
    assert y["n_signal"] > 0 and y["eot"] == 1e12
    assert {"n_signal", "n_signal_err", "per_eot"} <= set(y)
    out = run_json("experiments")
    assert "ldmx" in out["experiments"]
    code, text, _ = run_cli("experiments")
    assert code == 0 and "PRL 123 (2019) 121801" in text


@pytest.mark.parametrize(
    "args,needle",
    [
        (["limit", "--experiment", "na62", "--m-phi", "0.3"], "--experiment 'na62'"),
        (["limit", "--experiment", "ldmx", "--m-phi", "0.3", "--method", "bayes"], "method"),
        (["limit", "--experiment", "ldmx", "--m-phi", "0.3", "--n-obs", "-1"], "--n-obs"),
        (["limit", "--m-phi", "0.3"], "--experiment"),
        (["yield", "--m-phi", "0.3", "--h", "1"], "--experiment"),
        (["yield", "--experiment", "ldmx", "--m-phi", "0.3", "--h", "1", "--efficiency", "3"],
         "efficiency"),
        (["yield", "--experiment", "ldmx", "--m-phi", "0.3", "--h", "1", "--br-invisible",
          "2"], "--br-invisible"),
        (["limit", "--experiment", "ldmx", "--m-phi", "0.3", "--config", "/nonexistent.yaml"],
         "does not exist"),
    ],
)
def test_bad_input(run_cli, args, needle):
    code, out, err = run_cli(*args)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err


def test_setup_options_are_the_fields_of_experiment_config():
    """Each set-up option overrides the ExperimentConfig field of its name, and every field
    is an option or named as given in a config file only (the two lists cannot drift)."""
    from leptoportal.cli._options import SETUP_FILE_ONLY, SETUP_OPTIONS
    from leptoportal.experiments import ExperimentConfig

    fields = set(ExperimentConfig.model_fields)
    assert set(SETUP_OPTIONS) <= fields
    assert set(SETUP_OPTIONS) | set(SETUP_FILE_ONLY) == fields
    assert not set(SETUP_OPTIONS) & set(SETUP_FILE_ONLY)


def test_yield_takes_a_list_of_masses(run_json):
    """yield takes M[,M...] as limit does; one mass prints one result as before, a list
    prints one result per mass, each equal to the one-mass run."""
    base = ["yield", "--experiment", "na64mu", "--h", "1e-3", "--precision", "0.1"]
    listed = run_json(*base, "--m-phi", "0.2,0.5")["points"]
    assert [p["m_phi"] for p in listed] == [0.2, 0.5]
    for point in listed:
        alone = run_json(*base, "--m-phi", str(point["m_phi"]))
        assert alone == point
