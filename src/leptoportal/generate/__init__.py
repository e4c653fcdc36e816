"""Unweighted signal events: sampling from the exact tree-level |M|^2 (`sampler`) and
event files (`writers`).

Example:

    sample = generate(Process("e-", 100.0, "Pb", 0.2), 1000, seed=1)   # in memory
    write_events(sample, proc, "events.lhe")
    with generated_events(proc, 10**7, seed=1, workdir=".") as stream:   # streamed
        write_stream(stream, proc, "events.parquet")
"""

from leptoportal.generate.sampler import (
    DECAYS,
    MAX_EVENTS,
    MAX_MEMORY_EVENTS,
    PDG_CHI1,
    PDG_CHI2,
    PDG_PHI,
    EventSample,
    EventStream,
    generate,
    generated_events,
)
from leptoportal.generate.writers import (
    FORMATS,
    format_for,
    pythia_settings_path,
    write_events,
    write_stream,
)

__all__ = ["DECAYS", "FORMATS", "MAX_EVENTS", "MAX_MEMORY_EVENTS", "PDG_CHI1", "PDG_CHI2",
           "PDG_PHI", "EventSample", "EventStream", "format_for", "generate",
           "generated_events", "pythia_settings_path", "write_events", "write_stream"]


def __dir__() -> list[str]:
    return __all__
