"""Every write to finance figures: saved whole per return (figures.py), approved, returned and
published (decisions.py), and the variance threshold (thresholds.py). Each checks who may,
keeps the history, and bumps the data version so pages show the change."""

from resources.services.decisions import (
    finance_approve,
    finance_publish,
    finance_return_back,
    finance_waiting,
)
from resources.services.figures import FiguresRefused, finance_figures_save
from resources.services.thresholds import threshold_set

__all__ = [
    "FiguresRefused",
    "finance_approve",
    "finance_figures_save",
    "finance_publish",
    "finance_return_back",
    "finance_waiting",
    "threshold_set",
]
