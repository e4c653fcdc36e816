"""Unweighted signal events: sampling from the exact tree-level |M|^2 (:mod:`~.sampler`) and
event files (:mod:`~.writers`).

Example::

    sample = generate(Process("e-", 100.0, "Pb", 0.2), 1000, seed=1)
    write_events(sample, proc, "events.lhe", "lhe")
"""

from leptoportal.generate.sampler import (
    DECAYS,
    MAX_EVENTS,
    PDG_CHI1,
    PDG_CHI2,
    PDG_PHI,
    EventSample,
    generate,
)
from leptoportal.generate.writers import FORMATS, nucleus_pdg, write_events

__all__ = ["DECAYS", "FORMATS", "MAX_EVENTS", "PDG_CHI1", "PDG_CHI2", "PDG_PHI", "EventSample",
           "generate", "nucleus_pdg", "write_events"]
