"""The public API, pinned: every module declares ``__all__`` (and ``dir()`` shows just it), and
the names of the main modules are fixed here, so that a change of the surface is a deliberate
edit of this file (pyhf and scikit-hep/particle do the same)."""

import importlib
import pathlib

import pytest

import leptoportal

PUBLIC = {
    "leptoportal": {
        "CacheIntegrityError", "CouplingMatrix", "Couplings", "DarkSector", "DomainError",
        "InputError", "LeptoportalError", "ModelPoint", "NoSolutionError", "Numerics",
        "OutputError", "Portal", "__version__",
    },
    "leptoportal.model": {
        "COUPLING_KINDS", "COUPLING_MAX", "COUPLING_WARN", "CouplingMatrix", "Couplings",
        "DEFAULT_ALPHA_DARK", "DEFAULT_COUPLING", "DEFAULT_MASS_RATIO", "DEFAULT_MODEL",
        "DarkSector", "LEPTONS", "MATRIX_MODELS", "MODELS", "MUMU_EMU_RATIO", "M_CHI_MIN",
        "M_PHI_MAX", "ModelPoint", "Portal",
        "as_matrix", "dark_sector", "default_pattern", "describe_couplings", "largest_coupling",
        "resolve_couplings", "unit_pattern", "validate_m_phi", "warn_if_strong",
    },
    "leptoportal.defaults": {
        "ALPHA_DARK", "BACKEND", "CL", "COUPLING", "EVENT_H", "G2_DATASET", "GSTAR_TABLE",
        "LIMIT_METHOD", "MASS_RATIO", "PRECISION", "ROUTE", "SEED",
    },
    "leptoportal.tasks.registry": {"TASKS", "TaskKind", "task"},
    "leptoportal.constraints": {
        "CONSTRAINTS", "STATUSES", "Bound", "Constraint", "ConstraintsResult", "Measurement",
        "combine", "constraints_at", "dipoles", "evaluate", "lfv_decays", "missing_energy",
        "muonium", "register",
    },
    "leptoportal.constraints.base": {
        "CONSTRAINTS", "STATUSES", "Bound", "Constraint", "ConstraintsResult", "Measurement",
        "combine", "constraints_at", "evaluate", "h_max", "perturbative", "register",
        "scaling_h_limit",
    },
    "leptoportal.experiments.channels": {
        "YIELD_PRECISION", "ProductionChannel", "default_numerics", "implementation",
        "setup_channels",
    },
    "leptoportal.numerics": {
        "BACKENDS", "MAX_EVALS", "Numerics", "PRECISION_RANGE", "ROUTES", "SEED_MAX",
        "gauss_legendre_panels", "kallen", "sqrt_kallen", "two_body_momentum",
    },
    "leptoportal.errors": {
        "CacheIntegrityError", "DomainError", "InputError", "LeptoportalError", "MAX_ECHO",
        "NoSolutionError", "OutputError", "closest", "echo", "require_choice", "require_complex",
        "require_extra", "require_finite", "require_int", "require_range",
    },
    "leptoportal.results": {
        "Result", "quantity",
    },
    "leptoportal.outputs": {
        "MAX_NAME_BYTES", "STALE_AFTER_S", "TEMP_MARK", "atomic_output", "atomic_write_bytes",
        "atomic_write_text", "check_output_dir", "check_output_file", "csv_text", "json_text",
        "output_error", "process_alive", "remove_in_flight", "remove_stale_temporaries",
        "render_html",
        "render_markdown", "temporary_directory", "temporary_name", "to_jsonable", "write_csv",
        "write_json",
    },
    "leptoportal.cache": {
        "CACHE_SCHEMA", "CacheInfo", "MAX_RECORD_BYTES", "PointStore", "cache_dir", "cache_info",
        "canonical",
        "clear_cache", "finite_numbers", "input_key", "read_entry", "record_digest", "xsec_store",
    },
    "leptoportal.g2": {
        "ANOMALY_THRESHOLD_SIGMA", "CouplingBand", "ELECTRON_DATASETS", "G2Dataset", "G2Result",
        "MUON_DATASETS", "allowed_shift", "contributions", "coupling_band", "delta_a", "delta_a_e",
        "delta_a_lepton", "delta_a_mu", "delta_a_numeric", "electron_g2_upper_coupling",
        "get_dataset", "one_sided_z",
    },
    "leptoportal.decays": {
        "Widths", "gamma_dark", "gamma_mu_e", "gamma_visible", "lepton_channels",
        "spin_summed_me2", "two_body_width", "warn_if_not_prompt", "widths",
    },
    "leptoportal.lfv": {
        "BR_NOTE", "ChannelRate", "DALITZ_NODES", "DIPOLE_NODES", "Dipole", "LFVLimit",
        "LFVResult", "PHI", "PHIBAR", "RADIATIVE", "REACTIONS", "THREE_BODY", "TreeRate",
        "TreeTerm", "channel_names", "channel_rates", "dalitz_width", "dipole",
        "emission_vertex", "experimental_limits", "form_factors", "h_limit_of",
        "lepton_to_phi_width", "lfv",
        "loop_diagrams", "loop_valid", "radiative_br", "radiative_width", "tree_me2",
        "tree_rate", "tree_terms",
    },
    "leptoportal.production": {
        "BEAMS", "FORM_FACTORS", "METHODS", "Material", "OBSERVABLES", "Process",
        "ANNIHILATING_BEAMS", "Resonance", "ResonanceResult", "Spectrum", "Spectrum2D", "Target",
        "XsecResult", "cached_cross_section", "cross_section", "default_edges",
        "form_factor_spread", "get_material", "get_target", "material_names", "sigma_etl",
        "sigma_iww", "sigma_ww", "spectra", "spectrum_2d", "targets",
    },
    "leptoportal.experiments": {
        "CHANNELS", "ChannelSpec", "ProductionChannel", "setup_channels",
        "EfficiencyTable", "ExperimentConfig", "LimitResult", "YIELD_PRECISION", "YieldResult",
        "energy_nodes", "get_preset", "invisible_fraction", "limit_point", "load_config",
        "make_config", "preset_names", "read_config_file", "resolve_config", "schema",
        "signal_yield",
        "track_length_sampler", "track_length_weights", "tsai_track_length_density",
        "yield_per_eot_unit",
    },
    "leptoportal.stats": {
        "BACKGROUND_NODES", "FC_MAX_COUNT", "METHODS", "PYHF_MIN_EVENTS", "WorkspaceLimit",
        "background_nodes", "cls_upper_limit", "feldman_cousins_interval",
        "poisson_upper_limit", "pyhf_upper_limit", "upper_limit",
    },
    "leptoportal.histfactory": {
        "CHANNEL", "MAX_EVENTS", "POI", "SCHEMA_VERSION", "counting_workspace", "is_counting",
        "total", "workspace_name",
    },
    "leptoportal.relic": {
        "AnnihilationModel", "DM_KINDS", "DarkCouplingTarget", "GEV2_TO_CM3S", "NoRelicSolution",
        "OMEGA_FACTOR", "OMEGA_H2_PLANCK", "RelicResult", "Species", "ThermalTarget",
        "alpha_dark_for_relic", "bdf2_path", "benchmark_model", "dark_coupling_target",
        "generic_model",
        "h_for_relic", "omega_h2", "sigma_chi2_chi1bar", "solve_boltzmann", "table_systematic",
        "thermal_average", "thermal_target", "width_at",
    },
    "leptoportal.generate": {
        "DECAYS", "EventSample", "EventStream", "FORMATS", "MAX_EVENTS", "MAX_MEMORY_EVENTS",
        "PDG_CHI1", "PDG_CHI2", "PDG_PHI", "format_for", "generate", "generated_events",
        "pythia_settings_path", "write_events", "write_stream",
    },
    "leptoportal.tasks": {
        "AUTO_NUMPY_PRECISION", "KINDS", "TASKS", "TaskKind", "BandInputs", "as_task",
        "ConstraintsInputs", "GenerateResult", "LFVInputs", "LimitSetup", "TargetInputs",
        "band_inputs", "build", "check_task", "constraints", "constraints_inputs", "g2",
        "g2_band", "generate", "lfv", "lfv_inputs", "limit", "limit_config",
        "limit_setup", "limit_workspace",
        "relic", "relic_target", "resolve_backend", "run_task", "signal_yield", "target_inputs",
        "widths", "xsec",
    },
    "leptoportal.scan": {
        "CONNECT_TIMEOUT_S", "DASK_LOCAL", "FILE_PARAMETERS", "LOCAL", "MAX_TASKS",
        "NO_WORKER_TIMEOUT_S", "SCHEDULER_ADDRESS", "SERIAL", "can_fork", "check_scheduler",
        "collect", "default_scheduler", "load_scan_config", "local_pool", "pending",
        "rows_to_csv", "run_scan", "tasks_from_config", "write_results",
    },
    "leptoportal.validate": {
        "CHECKS", "ValidationReport", "Check", "REPORT_FILES", "c_invariance",
        "check_report_file", "cls_analytic",
        "compiled_kernel", "dmg4_electron", "dmg4_muon", "etl_routes", "feldman_cousins",
        "g2_heavy_limit", "g2_routes", "gauge_invariance", "generator", "relic_benchmark",
        "report_blocks", "resonance_ee_peak", "resonance_narrow_width", "resonant_thick_target",
        "run_checks", "scalar_width", "stopping_power", "track_length", "write_report",
        "ww_heavy_beam",
    },
}


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_names_are_pinned(name):
    module = importlib.import_module(name)
    assert set(module.__all__) == PUBLIC[name]
    for attr in module.__all__:
        assert hasattr(module, attr), attr


def test_every_module_declares_its_surface():
    root = pathlib.Path(leptoportal.__file__).parent
    for path in sorted(root.rglob("*.py")):
        if path.name == "__main__.py" or "cli" in path.parts:
            continue
        rel = path.relative_to(root.parent).with_suffix("")
        name = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        module = importlib.import_module(name)
        assert isinstance(getattr(module, "__all__", None), list), name
        assert sorted(dir(module)) == sorted(module.__all__), name

